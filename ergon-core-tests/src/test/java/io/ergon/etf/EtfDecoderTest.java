package io.ergon.etf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.BitString;
import io.ergon.term.ByteList;
import io.ergon.term.ImproperList;
import io.ergon.term.LocalFun;
import io.ergon.term.Pid;
import io.ergon.term.Port;
import io.ergon.term.Ref;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decoding details: legacy tags, what OTP accepts and refuses (observed on OTP 25), offsets and limits. */
class EtfDecoderTest {
    private static Object decode(String hex) throws EtfException {
        return Etf.decode(Etf.unhex(hex));
    }

    private static EtfException failure(String hex) {
        try {
            Object t = decode(hex);
            throw new AssertionError("decoded " + TermFormat.format(t));
        } catch (EtfException e) {
            return e;
        }
    }

    @Test
    void legacyAtomsFloatsPidsPortsAndRefs() throws Exception {
        // ATOM_EXT and SMALL_ATOM_EXT are Latin-1: byte 0xE9 is é.
        assertThat(decode("836400026865")).isEqualTo(Atom.of("he"));
        assertThat(decode("836400026be9")).isEqualTo(Atom.of("k\u00e9"));
        assertThat(decode("837301e9")).isEqualTo(Atom.of("\u00e9"));
        // FLOAT_EXT: 31 bytes of "%.20e" text, NUL padded.
        byte[] f = new byte[32];
        f[0] = 99;
        byte[] text = "1.50000000000000000000e+00".getBytes();
        System.arraycopy(text, 0, f, 1, text.length);
        assertThat(new EtfDecoder().decode(f, 0, 32, false, null).term()).isEqualTo(1.5);
        // PID_EXT (creation 8 bits) re-encodes as NEW_PID_EXT, as OTP 25 does.
        Object pid = decode("83677701610000000100000002" + "03");
        assertThat(pid).isEqualTo(new Pid(Atom.of("a"), 1, 2, 3));
        assertThat(Etf.hex(Etf.encode(pid))).isEqualTo("8358770161000000010000000200000003");
        assertThat(decode("8366770161000000070003".substring(0, 20))).isEqualTo(new Port(Atom.of("a"), 7, 0));
        assertThat(decode("8365770161000000070003".substring(0, 20))).isEqualTo(new Ref(Atom.of("a"), 0, 7));
        assertThat(decode("8372000277016101000000010000000002".substring(0, 30) + "02"))
                .isEqualTo(new Ref(Atom.of("a"), 1, 1, 2));
    }

    @Test
    void integersNormaliseToLongOrBigInteger() throws Exception {
        assertThat(decode("836e0101" + "00")).isEqualTo(0L); // SMALL_BIG with magnitude 0 and sign 1 is 0
        assertThat(decode("836e020001" + "00")).isEqualTo(1L); // non-minimal bigs are accepted
        assertThat(decode("836e0000")).isEqualTo(0L);
        assertThat(decode("836e08010000000000000080")).isEqualTo(Long.MIN_VALUE);
        assertThat(decode("836e08000000000000000080")).isEqualTo(BigInteger.ONE.shiftLeft(63));
        assertThat(decode("836f00000001000a")).isEqualTo(10L);
    }

    @Test
    void bitstringsFollowOtp() throws Exception {
        // Observed on OTP 25: 8 bits in the last byte is a binary; 0 bits only when empty; junk low bits cleared.
        assertThat(decode("834d0000000108ff")).isEqualTo(Binary.of(new byte[] {(byte) 0xff}));
        assertThat(decode("834d0000000000")).isEqualTo(Binary.EMPTY);
        assertThat(decode("834d0000000103ff")).isEqualTo(BitString.of(new byte[] {(byte) 0xe0}, 3));
        assertThat(failure("834d0000000100ff").reason()).contains("0 bits");
        assertThat(failure("834d0000000109ff").reason()).contains("9 bits");
    }

    @Test
    void listsStringsAndTails() throws Exception {
        Object s = decode("836b0003616263");
        assertThat(s).isInstanceOf(ByteList.class).isEqualTo(List.of(97L, 98L, 99L));
        assertThat(((ByteList) s).asLatin1String()).isEqualTo("abc");
        assertThat(decode("836b0000")).isEqualTo(List.of()); // OTP 25: an empty STRING_EXT is []
        assertThat(decode("836c00000000" + "7701" + "61")).isEqualTo(Atom.of("a")); // LIST_EXT of 0 elements: the tail
        // A tail that is itself a list joins it, as [1|[2]] is [1,2].
        assertThat(decode("836c000000016101" + "6c00000001610261" + "03")).isEqualTo(
                new ImproperList(List.of(1L, 2L), 3L));
        assertThat(decode("836c0000000161016b00020203")).isEqualTo(List.of(1L, 2L, 3L));
    }

    @Test
    void localFunsRoundTripByteForByte() throws Exception {
        // fun(X) -> X + 1 end from module e3 on OTP 25 (term_to_binary, minor version 1).
        String hex = "837000000046010fd2c44807a7fd21b7b83e672f2b60890000001b000000006400026533611b62007e96225864"
                + "000d6e6f6e6f6465406e6f686f7374000000090000000000000000";
        Object fun = decode(hex);
        assertThat(fun).isInstanceOf(LocalFun.class);
        assertThat(TermFormat.format(fun)).isEqualTo("#Fun<e3.27.8295970>");
        assertThat(Etf.hex(Etf.encode(fun))).isEqualTo(hex);
        LocalFun f = (LocalFun) fun;
        LocalFun rebuilt = new LocalFun(f.arity(), f.uniq(), f.index(), f.module(), f.oldIndex(), f.oldUniq(),
                f.pid(), f.freeVars(), null);
        assertThat(Etf.decode(Etf.encode(rebuilt))).isEqualTo(fun);
    }

    @Test
    void refusesWhatOtpRefuses() {
        assertThat(failure("83740000000261016101610161" + "02").reason()).contains("key 1 twice");
        assertThat(failure("83467ff8000000000000").reason()).contains("not a finite float");
        // 0.0 and -0.0 are one key in OTP 25 (#{0.0 => a, -0.0 => b} has one key), so both at once is a duplicate.
        assertThat(failure("837400000002" + "460000000000000000" + "6101" + "468000000000000000" + "6102").reason())
                .contains("key -0.0 twice");
        assertThat(failure("837701e9").reason()).contains("not valid UTF-8");
        assertThat(failure("83760100" + "61".repeat(256)).reason()).contains("256 characters");
        assertThat(failure("8375").reason()).contains("FUN_EXT");
        assertThat(failure("8379").reason()).contains("LOCAL_EXT");
        assertThat(failure("83ff").reason()).contains("unknown tag 255");
        assertThat(failure("8361").reason()).contains("SMALL_INTEGER_EXT");
        assertThat(failure("826101").reason()).contains("version byte 131");
        assertThat(failure("83610100").reason()).contains("1 bytes follow the term");
        assertThat(failure("835a0000770161000000010000").reason()).contains("0 words");
        assertThat(failure("8368027701615200").reason()).contains("outside a distribution header");
    }

    @Test
    void errorsNameTheOffset() {
        EtfException e = failure("836803" + "6101" + "6d00000010" + "0102");
        assertThat(e.offset()).isEqualTo(5);
        assertThat(e.getMessage()).startsWith("at byte 5: binary of 16 bytes cannot fit in the 2 bytes left");
        e = failure("836c0fffffff6a");
        assertThat(e.offset()).isEqualTo(1);
        assertThat(e.reason()).contains("list of 268435455 elements");
    }

    @Test
    void limitsAreEnforced() {
        DecodeLimits small = DecodeLimits.DEFAULT.withMaxDepth(3).withMaxBinaryBytes(4).withMaxTupleArity(2)
                .withMaxListLength(2).withMaxMapSize(1).withMaxAtomCharacters(3).withMaxBigIntegerBytes(9)
                .withMaxBytes(100);
        EtfDecoder d = new EtfDecoder(small, null);
        assertThat(reason(d, "83" + "6c00000001".repeat(4) + "6a6a6a6a6a")).contains("deeper than the limit of 3");
        assertThat(reason(d, "836d00000005" + "0102030405")).contains("binary of 5 bytes");
        assertThat(reason(d, "836803610161026103")).contains("tuple of 3 elements");
        assertThat(reason(d, "836c00000003610161026103" + "6a")).contains("list of 3 elements");
        assertThat(reason(d, "83740000000261016101610261" + "02")).contains("map of 2 pairs");
        assertThat(reason(d, "837704616263")).contains("input ends");
        assertThat(reason(d, "83770461626364")).contains("4 characters");
        assertThat(reason(d, "836e0a00" + "01".repeat(10))).contains("10 bytes");
        assertThat(reason(d, "83" + "6a".repeat(100))).contains("larger than the limit of 100");
    }

    private static String reason(EtfDecoder d, String hex) {
        try {
            byte[] b = Etf.unhex(hex.length() % 2 == 0 ? hex : hex + "0");
            Object t = d.decode(b, 0, b.length, true, null).term();
            throw new AssertionError("decoded " + TermFormat.format(t));
        } catch (EtfException e) {
            return e.getMessage();
        }
    }

    @Test
    void deepNestingWithinTheLimitDecodesWithoutRecursion() throws Exception {
        int depth = 100_000;
        StringBuilder hex = new StringBuilder("83");
        hex.append("6801".repeat(depth)).append("6a");
        EtfDecoder d = new EtfDecoder(DecodeLimits.DEFAULT.withMaxDepth(depth), null);
        Object t = d.decode(Etf.unhex(hex.toString()));
        for (int i = 0; i < depth; i++) {
            t = ((Tuple) t).get(0);
        }
        assertThat(t).isEqualTo(List.of());
        assertThat(reason(new EtfDecoder(), hex.toString())).contains("deeper than the limit of 4096");
    }

    @Test
    void decodesSlicesAndSaysWhereTheTermEnded() throws Exception {
        // A control tuple and a payload back to back after a distribution header, as in one frame.
        byte[] frame = Etf.unhex("00ff" + "680261027701" + "61" + "6b00026869" + "ee");
        EtfDecoder d = new EtfDecoder();
        EtfDecoder.Decoded ctrl = d.decode(frame, 2, frame.length - 3, false, null);
        assertThat(ctrl.term()).isEqualTo(Tuple.of(2L, Atom.of("a")));
        assertThat(ctrl.end()).isEqualTo(9);
        EtfDecoder.Decoded payload = d.decode(frame, ctrl.end(), frame.length - 1 - ctrl.end(), false, null);
        assertThat(Terms_asString(payload.term())).isEqualTo("hi");
        assertThat(payload.end()).isEqualTo(frame.length - 1);
    }

    private static String Terms_asString(Object t) {
        return io.ergon.term.Terms.asString(t).orElseThrow();
    }

    @Test
    void resolvesAtomCacheRefs() throws Exception {
        Atom[] cache = {Atom.of("reg_send"), Atom.of("net_kernel")};
        byte[] b = Etf.unhex("68025200" + "5201");
        assertThat(new EtfDecoder().decode(b, 0, b.length, false, cache).term())
                .isEqualTo(Tuple.of(Atom.of("reg_send"), Atom.of("net_kernel")));
        byte[] bad = Etf.unhex("5202");
        assertThatThrownBy(() -> new EtfDecoder().decode(bad, 0, 2, false, cache))
                .isInstanceOf(EtfException.class).hasMessageContaining("ATOM_CACHE_REF 2 is not in the atom cache");
        // A node name inside a pid may be a cache ref too.
        byte[] pid = Etf.unhex("585201000000010000000200000003");
        assertThat(new EtfDecoder().decode(pid, 0, pid.length, false, cache).term())
                .isEqualTo(new Pid(Atom.of("net_kernel"), 1, 2, 3));
    }

    @Test
    void compressedTerms() throws Exception {
        List<Object> big = java.util.Collections.nCopies(200, (Object) Atom.of("hello"));
        EtfEncoder enc = new EtfEncoder();
        byte[] z = enc.encodeCompressed(big, 6);
        assertThat(z[1]).isEqualTo((byte) 80);
        assertThat(Etf.decode(z)).isEqualTo(big);
        // Not worth compressing: the plain encoding, as term_to_binary(a, [compressed]) gives.
        assertThat(Etf.hex(enc.encodeCompressed(Atom.of("a"), 6))).isEqualTo("83770161");
        // A declared size beyond the limit is refused before anything is allocated.
        byte[] bomb = z.clone();
        bomb[2] = 0x7f;
        assertThatThrownBy(() -> Etf.decode(bomb)).isInstanceOf(EtfException.class)
                .hasMessageContaining("more than the limit");
        byte[] wrongSize = z.clone();
        wrongSize[5]++;
        assertThatThrownBy(() -> Etf.decode(wrongSize)).isInstanceOf(EtfException.class)
                .hasMessageContaining("declared size");
        byte[] cut = java.util.Arrays.copyOf(z, z.length - 3);
        assertThatThrownBy(() -> Etf.decode(cut)).isInstanceOf(EtfException.class);
        assertThatThrownBy(() -> Etf.decode(Etf.unhex("8368015000000001"))).isInstanceOf(EtfException.class)
                .hasMessageContaining("only stand at the top level");
    }

    @Test
    void mapsKeepTheirEncodedOrder() throws Exception {
        // #{b => 1, a => 2} written out of order (OTP never does): decoding keeps the order, encoding sorts.
        Object m = decode("8374000000027701626101770161" + "6102");
        assertThat(List.<Object>copyOf(((Map<?, ?>) m).keySet())).containsExactly(Atom.of("b"), Atom.of("a"));
        assertThat(Etf.hex(Etf.encode(m))).isEqualTo("8374000000027701616102770162" + "6101");
    }
}
