package io.ergon.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TermParserTest {
    private static Object p(String s) throws TermSyntaxException {
        return TermParser.parse(s);
    }

    @Test
    void numbers() throws Exception {
        assertThat(p("42")).isEqualTo(42L);
        assertThat(p("-42")).isEqualTo(-42L);
        assertThat(p("16#ff")).isEqualTo(255L);
        assertThat(p("-2#101")).isEqualTo(-5L);
        assertThat(p("1_000_000")).isEqualTo(1_000_000L);
        assertThat(p("$a")).isEqualTo(97L);
        assertThat(p("$\\n")).isEqualTo(10L);
        assertThat(p("$\\x{2603}")).isEqualTo(0x2603L);
        assertThat(p("18446744073709551616")).isEqualTo(BigInteger.TWO.pow(64));
        assertThat(p("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(p("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(p("1.5e-10")).isEqualTo(1.5e-10);
        assertThat(p("-0.0")).isEqualTo(-0.0);
        assertThat(p("2.0E3")).isEqualTo(2000.0);
    }

    @Test
    void atomsStringsAndEscapes() throws Exception {
        assertThat(p("ok")).isSameAs(Atom.OK);
        assertThat(p("'EXIT'")).isEqualTo(Atom.of("EXIT"));
        assertThat(p("'\\x{3C5}\\'\\\\\\s\\^a\\101'")).isEqualTo(Atom.of("\u03c5'\\ \u0001A"));
        assertThat(p("\"abc\"")).isEqualTo(List.of(97L, 98L, 99L));
        assertThat(p("\"ab\" \"c\"")).isEqualTo(List.of(97L, 98L, 99L));
        assertThat(p("\"\"")).isEqualTo(List.of());
        assertThat(p("\"\\x{2603}\"")).isEqualTo(List.of(0x2603L));
        assertThat(p("h\u00e9llo")).isEqualTo(Atom.of("h\u00e9llo"));
    }

    @Test
    void containers() throws Exception {
        assertThat(p(" { a , [1,2|3], #{k => v, \"s\" => <<1,2>>}, [] , {} } . "))
                .isEqualTo(Tuple.of(Atom.of("a"), new ImproperList(List.of(1L, 2L), 3L),
                        Map.of(Atom.of("k"), Atom.of("v"), List.of(115L), Binary.of(new byte[] {1, 2})),
                        List.of(), Tuple.of()));
        assertThat(p("[1|[2,3]]")).isEqualTo(List.of(1L, 2L, 3L));
        assertThat(p("#{a => 1, a => 2}")).isEqualTo(Map.of(Atom.of("a"), 2L));
        assertThat(p("fun lists:map/2")).isEqualTo(new ExportFun(Atom.of("lists"), Atom.of("map"), 2));
        assertThat(p("[a % a comment\n, b]")).isEqualTo(List.of(Atom.of("a"), Atom.of("b")));
    }

    @Test
    void binariesAndBitstrings() throws Exception {
        assertThat(p("<<>>")).isEqualTo(Binary.EMPTY);
        assertThat(p("<<255,1:7>>")).isEqualTo(BitString.of(new byte[] {(byte) 255, 2}, 7));
        assertThat(p("<<5:3>>")).isEqualTo(BitString.of(new byte[] {(byte) 0xa0}, 3));
        assertThat(p("<<\"abc\">>")).isEqualTo(Binary.of("abc"));
        assertThat(p("<<\"\u00e9\"/utf8>>")).isEqualTo(Binary.of("\u00e9"));
        assertThat(p("<<-1>>")).isEqualTo(Binary.of(new byte[] {(byte) 255}));
        assertThat(p("<<1:16, $a>>")).isEqualTo(Binary.of(new byte[] {0, 1, 97}));
    }

    @Test
    void clearErrors() {
        assertError("{a,b", "expected ',' or '}', found 'end of text' at character 4");
        assertError("[1,2|3,4]", "expected ']', found ','");
        assertError("X", "variables are not terms");
        assertError("<0.1.2>", "cannot be read back");
        assertError("'abc", "unterminated atom at character 0");
        assertError("#{a}", "expected '=>'");
        assertError("a b", "unexpected 'b' after the term at character 2");
        assertError("case", "reserved word 'case'");
        assertError("<<1.5>>", "only integer and string segments");
    }

    private static void assertError(String text, String message) {
        assertThatThrownBy(() -> p(text)).isInstanceOf(TermSyntaxException.class).hasMessageContaining(message);
    }

    @Test
    void deepNestingDoesNotRecurse() throws Exception {
        String text = "[".repeat(100_000) + "]".repeat(100_000);
        Object t = p(text);
        for (int i = 0; i < 99_999; i++) {
            t = ((List<?>) t).get(0);
        }
        assertThat(t).isEqualTo(List.of());
    }
}
