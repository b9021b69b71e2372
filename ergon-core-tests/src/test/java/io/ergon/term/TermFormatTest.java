package io.ergon.term;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ~w} details, each checked against io_lib:format("~w", ...) on OTP 25.2.3. */
class TermFormatTest {
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "100.0;100.0", "1000.0;1.0e3", "123456.0;123456.0", "1.0e15;1.0e15", "0.1;0.1", "0.0001;0.0001",
        "0.00001;1.0e-5", "1.23e-5;1.23e-5", "0.000123;1.23e-4", "0.00125;0.00125", "0.005;0.005",
        "1.2345678901234568e16;1.2345678901234568e16", "9007199254740991.0;9007199254740991.0",
        "9007199254740992.0;9.007199254740992e15", "8000000000000001.0;8000000000000001.0",
        "1.2e10;1.2e10", "4.9e-324;5.0e-324", "2.2250738585072014e-308;2.2250738585072014e-308",
        "1.7976931348623157e308;1.7976931348623157e308", "0.6666666666666666;0.6666666666666666",
        "-1.5;-1.5", "-0.0;-0.0", "0.0;0.0", "1.0e23;1.0e23", "123.456;123.456"})
    void floatsAsOtp25ShortForm(double value, String expected) {
        assertThat(TermFormat.format(value)).isEqualTo(expected);
    }

    @Test
    void atomsQuotedAndEscapedAsErlang() {
        assertThat(TermFormat.format(Atom.of("maybe"))).isEqualTo("maybe"); // not reserved in OTP 25 by default
        assertThat(TermFormat.format(Atom.of("else"))).isEqualTo("else");
        assertThat(TermFormat.format(Atom.of("a\u007fb"))).isEqualTo("'a\\db'");
        assertThat(TermFormat.format(Atom.of("\u0080\u009f\u00a0\u00ff\u0100")))
                .isEqualTo("'\\200\\237\u00a0\u00ff\\x{100}'");
        assertThat(TermFormat.format(Atom.of("a'b"))).isEqualTo("'a\\'b'");
        assertThat(TermFormat.format(Atom.of("a\\b"))).isEqualTo("'a\\\\b'");
        assertThat(TermFormat.format(Atom.of("\u0000\u0001\u0007\b\t\n\u000b\f\r\u001b\u001f")))
                .isEqualTo("'\\000\\001\\007\\b\\t\\n\\v\\f\\r\\e\\037'");
        assertThat(TermFormat.format(Tuple.of(Atom.of("\u00ffabc"), Atom.of("Ab"), Atom.of("aB@1"),
                Atom.of("\u00df"), Atom.of("\u00e9"), Atom.of("\u00c9"), Atom.of("a\u00f7"), Atom.of("a\u00d7b"))))
                .isEqualTo("{\u00ffabc,'Ab',aB@1,\u00df,\u00e9,'\u00c9','a\u00f7','a\u00d7b'}");
    }

    @Test
    void containersAndJavaValues() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(1, List.of());
        map.put("k", 2.5);
        assertThat(TermFormat.format(Tuple.of(map, new ImproperList(List.of(1, 2), Atom.of("t")), true,
                BigInteger.TEN.pow(20), (byte) -1, 'a')))
                .isEqualTo("{#{1 => [],<<107>> => 2.5},[1,2|t],true,100000000000000000000,-1,97}");
        assertThat(TermFormat.format(BitString.of(new byte[] {(byte) 0xff, 2}, 7))).isEqualTo("<<255,1:7>>");
        assertThat(TermFormat.format(new ExportFun(Atom.of("A b"), Atom.of("c d"), 1))).isEqualTo("fun 'A b':'c d'/1");
        assertThat(TermFormat.format(new Ref(Atom.of("nonode@nohost"), 0, 1, 2, 3))).isEqualTo("#Ref<0.3.2.1>");
        assertThat(TermFormat.format(new Port(Atom.of("nonode@nohost"), 1L << 40, 1))).isEqualTo("#Port<0.1099511627776>");
        assertThat(TermFormat.format(new Object())).startsWith("#Java<java.lang.Object");
    }

    @Test
    void deepTermsFormatWithoutRecursion() {
        Object t = List.of();
        for (int i = 0; i < 200_000; i++) {
            t = Tuple.of(t);
        }
        String s = TermFormat.format(t);
        assertThat(s).hasSize(400_002).startsWith("{{{").contains("{[]}").endsWith("}}}");
    }

    @Test
    void printShowsTextTheWayErlangsTildePDoes() {
        assertThat(TermFormat.print(Binary.of("hello \"you\"\n"))).isEqualTo("<<\"hello \\\"you\\\"\\n\">>");
        assertThat(TermFormat.print(Binary.of("h\u00e9llo \u2603"))).isEqualTo("<<\"h\u00e9llo \u2603\">>");
        assertThat(TermFormat.print(Binary.of(new byte[] {1, 2, 3}))).isEqualTo("<<1,2,3>>");
        assertThat(TermFormat.print(Binary.EMPTY)).isEqualTo("<<>>");
        assertThat(TermFormat.print(java.util.List.of(104L, 105L))).isEqualTo("\"hi\"");
        assertThat(TermFormat.print(java.util.List.of(1L, 2L))).isEqualTo("[1,2]");
        assertThat(TermFormat.print(Tuple.of(Atom.of("ok"), Binary.of("done")))).isEqualTo("{ok,<<\"done\">>}");
        // ~w is unchanged
        assertThat(TermFormat.format(Binary.of("hi"))).isEqualTo("<<104,105>>");
        assertThat(TermFormat.format(java.util.List.of(104L, 105L))).isEqualTo("[104,105]");
    }
}
