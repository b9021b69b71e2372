package io.ergon.term;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What Erlang's {@code ~p} treats as printable text, and how it writes it. */
final class Printable {
    private Printable() {
    }

    /** The binary's text if it is valid UTF-8 made of printable characters, else null. */
    static String utf8Text(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return isPrintable(text) ? text : null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The list's text if every element is a printable character (a Long code point), else null. */
    static String charList(List<?> list) {
        StringBuilder out = new StringBuilder(list.size());
        for (Object e : list) {
            if (!(e instanceof Long c) || c < 0 || c > Character.MAX_CODE_POINT || !printable(c.intValue())) {
                return null;
            }
            out.appendCodePoint(c.intValue());
        }
        return out.toString();
    }

    static boolean isPrintable(String text) {
        return text.codePoints().allMatch(Printable::printable);
    }

    /** io_lib's printable_unicode_list: graphic characters and the usual control escapes. */
    private static boolean printable(int c) {
        return (c >= 32 && c < 127) || (c >= 160 && c < 0xD800) || (c > 0xDFFF && c < 0xFFFE && c != 0xFFFF)
                || (c > 0xFFFF && c <= Character.MAX_CODE_POINT) || c == '\n' || c == '\r' || c == '\t' || c == 11
                || c == '\b' || c == '\f' || c == 27;
    }

    /** Appends {@code "text"} with Erlang's escapes. */
    static void appendQuoted(StringBuilder out, String text) {
        out.append('"');
        text.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 11 -> out.append("\\v");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case 27 -> out.append("\\e");
                default -> out.appendCodePoint(c);
            }
        });
        out.append('"');
    }
}
