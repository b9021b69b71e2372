package io.ergon.etf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.term.Atom;
import io.ergon.term.ImproperList;
import io.ergon.term.Port;
import io.ergon.term.Ref;
import io.ergon.term.TermConvertible;
import io.ergon.term.Tuple;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Encoding choices, each as OTP 25's term_to_binary(T, [{minor_version, 2}]) makes it. */
class EtfEncoderTest {
    private static String hex(Object term) {
        return Etf.hex(Etf.encode(term));
    }

    @Test
    void integersTakeTheSmallestTag() {
        assertThat(hex(255)).isEqualTo("8361ff");
        assertThat(hex(256L)).isEqualTo("836200000100");
        assertThat(hex(-1)).isEqualTo("8362ffffffff");
        assertThat(hex(2147483648L)).isEqualTo("836e0400000000" + "80");
        // {1 bsl 64, -(1 bsl 64), -(1 bsl 63), 1 bsl 63 - 1} as OTP encodes them
        assertThat(hex(Tuple.of(BigInteger.TWO.pow(64), BigInteger.TWO.pow(64).negate(), Long.MIN_VALUE,
                Long.MAX_VALUE))).isEqualTo("836804" + "6e09000000000000000000" + "01" + "6e09010000000000000000"
                + "01" + "6e08010000000000000080" + "6e0800ffffffffffffff7f");
        assertThat(hex(BigInteger.valueOf(7))).isEqualTo("836107");
        assertThat(hex((short) -129)).isEqualTo("8362ffffff7f");
        assertThat(hex('a')).isEqualTo("836161");
    }

    @Test
    void javaValuesMapToTheirTerms() {
        assertThat(hex(true)).isEqualTo("837704" + "74727565");
        assertThat(hex("hi")).isEqualTo("836d00000002" + "6869");
        assertThat(hex(new byte[] {1})).isEqualTo("836d0000000101");
        assertThat(hex(1.5f)).isEqualTo("8346" + "3ff8000000000000");
        assertThat(hex((TermConvertible) () -> Atom.OK)).isEqualTo("8377026f6b");
        assertThat(hex(Thread.State.NEW)).isEqualTo("837703" + "6e6577");
        assertThatThrownBy(() -> hex(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hex(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot encode java.lang.Object");
        assertThatThrownBy(() -> hex(Collections.singletonList(null))).isInstanceOf(RuntimeException.class);
    }

    @Test
    void listsOfBytesBecomeStringsAsOtpDoes() {
        assertThat(hex(List.of(1, 2, 3))).isEqualTo("836b0003010203");
        assertThat(hex(new LinkedList<>(List.of(97L, 98L)))).isEqualTo("836b00026162");
        assertThat(hex(List.of(1, 256))).isEqualTo("836c00000002610162000001006a");
        List<Object> longList = new ArrayList<>(Collections.nCopies(65536, (Object) 7L));
        assertThat(hex(longList)).startsWith("836c00010000" + "6107").endsWith("61076a");
        assertThat(hex(Collections.nCopies(65535, 7))).startsWith("836bffff07");
        assertThat(hex(new ImproperList(List.of(1), 2))).isEqualTo("836c00000001610161" + "02");
    }

    @Test
    void smallMapsAreWrittenInKeyOrder() {
        // term_to_binary(#{1.0 => a, 1 => b, 2 => c, 0.5 => d}) writes 1, 2, 0.5, 1.0
        Map<Object, Object> m = new java.util.LinkedHashMap<>();
        m.put(1.0, Atom.of("a"));
        m.put(1, Atom.of("b"));
        m.put(2, Atom.of("c"));
        m.put(0.5, Atom.of("d"));
        assertThat(hex(m)).isEqualTo("837400000004" + "6101770162" + "6102770163" + "46" + "3fe0000000000000" + "770164"
                + "46" + "3ff0000000000000" + "770161");
    }

    @Test
    void pidsPortsRefsUseTheNewTags() {
        Atom node = Atom.of("a@h");
        assertThat(hex(new Port(node, 5, 1))).isEqualTo("8359" + "7703614068" + "00000005" + "00000001");
        assertThat(hex(new Port(node, 1L << 40, 1))).isEqualTo("8378" + "7703614068" + "0000010000000000" + "00000001");
        // Observed on OTP 25.2.3: NEW_PORT_EXT up to id 2^28 - 1, V4_PORT_EXT from 2^28 (not from 2^32).
        assertThat(hex(new Port(node, (1L << 28) - 1, 1))).startsWith("8359");
        assertThat(hex(new Port(node, 1L << 28, 1))).isEqualTo("8378" + "7703614068" + "0000000010000000" + "00000001");
        assertThat(hex(new Ref(node, 1, 7))).isEqualTo("835a0001" + "7703614068" + "00000001" + "00000007");
    }

    @Test
    void buffersAreReusableAndVersionless() {
        EtfEncoder enc = new EtfEncoder();
        EtfBuffer buf = new EtfBuffer(16);
        buf.put(EtfTags.VERSION).put(EtfTags.DIST_HEADER).put(0);
        enc.encode(Tuple.of(2, Atom.of(""), Atom.of("x")), buf);
        enc.encode("payload".repeat(10), buf);
        byte[] frame = buf.toByteArray();
        assertThat(Etf.hex(frame)).startsWith("834400" + "6803" + "6102" + "7700" + "770178" + "6d00000046");
        buf.reset();
        assertThat(buf.size()).isZero();
        enc.encodeVersioned(Atom.OK, buf);
        assertThat(buf.asByteBuffer().remaining()).isEqualTo(5);
    }

    @Test
    void deepTermsEncodeWithoutRecursion() throws Exception {
        Object t = List.of();
        for (int i = 0; i < 100_000; i++) {
            t = List.of(t);
        }
        byte[] bytes = Etf.encode(t);
        assertThat(bytes).hasSize(1 + 100_000 * 6 + 1);
        Object back = new EtfDecoder(DecodeLimits.DEFAULT.withMaxDepth(200_000), null).decode(bytes);
        assertThat(back).isInstanceOf(List.class);
    }
}
