package io.ergon.term;

import io.ergon.term.internal.TermList;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a term written in Erlang syntax, the inverse of {@link TermFormat}: integers (also {@code 16#ff},
 * {@code $a}, {@code 1_000}), floats, atoms quoted or not, strings (as lists of character codes), binaries and
 * bitstrings ({@code <<1,2:4>>}, {@code <<"text">>}, {@code <<"text"/utf8>>}), tuples, proper and improper lists,
 * maps and export funs ({@code fun m:f/1}). Escapes are Erlang's. A final {@code .} and {@code %} comments are
 * allowed. Pids, ports, references and local funs cannot be read: they need a live node.
 *
 * <p>Integers come back as {@code Long} or {@code BigInteger}, floats as {@code Double}, lists as immutable
 * {@code List}s, maps as insertion-ordered immutable maps (a repeated key keeps its last value, as in Erlang).
 * Nesting depth is limited only by memory; the parser does not recurse.
 *
 * <p>One class of some 600 lines for one idea, a parser of one grammar: the lexer and the explicit stack share its
 * position and its error reporting.
 */
public final class TermParser {
    private final String text;
    private int pos;

    private TermParser(String text) {
        this.text = text;
    }

    /** Parses exactly one term (optionally followed by {@code .}). */
    public static Object parse(String text) throws TermSyntaxException {
        TermParser p = new TermParser(text);
        Object term = p.parseTerm();
        p.skipSpace();
        if (p.pos < text.length() && text.charAt(p.pos) == '.') {
            p.pos++;
            p.skipSpace();
        }
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + p.describeHere() + "' after the term");
        }
        return term;
    }

    /** An open container while its elements are being read. */
    private static final class Frame {
        final char kind; // '{' tuple, '[' list, '#' map
        final int start;
        final List<Object> items = new ArrayList<>();
        Object tail;
        boolean sawTail;

        Frame(char kind, int start) {
            this.kind = kind;
            this.start = start;
        }
    }

    private Object parseTerm() throws TermSyntaxException {
        ArrayList<Frame> stack = new ArrayList<>();
        while (true) {
            skipSpace();
            Object value;
            Frame top = stack.isEmpty() ? null : stack.get(stack.size() - 1);
            // An empty container closes right away.
            if (top != null && top.items.isEmpty() && !top.sawTail && peekClose(top)) {
                pos++;
                stack.remove(stack.size() - 1);
                value = finish(top);
            } else {
                int start = pos;
                char c = peek();
                if (c == '{') {
                    pos++;
                    stack.add(new Frame('{', start));
                    continue;
                } else if (c == '[') {
                    pos++;
                    stack.add(new Frame('[', start));
                    continue;
                } else if (c == '#' && text.startsWith("#{", pos)) {
                    pos += 2;
                    stack.add(new Frame('#', start));
                    continue;
                }
                value = scalar();
            }
            // Attach the value and consume separators, closing containers as they end.
            while (true) {
                if (stack.isEmpty()) {
                    return value;
                }
                top = stack.get(stack.size() - 1);
                if (top.sawTail) {
                    top.tail = value;
                } else {
                    top.items.add(value);
                }
                skipSpace();
                char c = peek();
                if (top.kind == '#' && top.items.size() % 2 == 1) {
                    if (!text.startsWith("=>", pos)) {
                        throw error("expected '=>' in map, found '" + describeHere() + "'");
                    }
                    pos += 2;
                    break;
                }
                if (c == ',' && !top.sawTail) {
                    pos++;
                    break;
                }
                if (c == '|' && top.kind == '[' && !top.sawTail) {
                    pos++;
                    top.sawTail = true;
                    break;
                }
                if (peekClose(top)) {
                    pos++;
                    stack.remove(stack.size() - 1);
                    value = finish(top);
                    continue;
                }
                String expected = top.kind == '[' ? (top.sawTail ? "']'" : "',', '|' or ']'") : "',' or '}'";
                throw error("expected " + expected + ", found '" + describeHere() + "'");
            }
        }
    }

    private boolean peekClose(Frame f) {
        char c = peek();
        return f.kind == '[' ? c == ']' : c == '}';
    }

    private Object finish(Frame f) throws TermSyntaxException {
        switch (f.kind) {
            case '{' -> {
                return Tuple.of(f.items.toArray());
            }
            case '[' -> {
                if (f.sawTail && f.tail == null) {
                    throw error("missing tail after '|'");
                }
                List<Object> elements = new TermList(f.items.toArray());
                return f.sawTail ? ImproperList.of(elements, f.tail) : elements;
            }
            default -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < f.items.size(); i += 2) {
                    map.put(f.items.get(i), f.items.get(i + 1));
                }
                return java.util.Collections.unmodifiableMap(map);
            }
        }
    }

    private Object scalar() throws TermSyntaxException {
        char c = peek();
        if (c == '-' || c == '+' || (c >= '0' && c <= '9')) {
            return number();
        }
        if (c == '$') {
            pos++;
            return (long) charLiteral();
        }
        if (c == '\'') {
            return Atom.of(quoted('\''));
        }
        if (c == '"') {
            return Terms.charList(strings());
        }
        if (c == '<' && text.startsWith("<<", pos)) {
            return binary();
        }
        if ((c >= 'a' && c <= 'z') || (c >= 0xdf && c <= 0xff && c != 0xf7)) {
            int start = pos;
            String word = name();
            if (word.equals("fun")) {
                return fun(start);
            }
            if (TermFormat.needsQuotes(word)) {
                throw new TermSyntaxException("reserved word '" + word + "' is not a term (quote it)", start);
            }
            return Atom.of(word);
        }
        if ((c >= 'A' && c <= 'Z') || c == '_') {
            throw error("variables are not terms: '" + name() + "'");
        }
        if (c == '<' || text.startsWith("#Ref<", pos) || text.startsWith("#Port<", pos)
                || text.startsWith("#Fun<", pos)) {
            throw error("pids, ports, references and local funs cannot be read back (they need a live node)");
        }
        if (pos >= text.length()) {
            throw error("unexpected end of text");
        }
        throw error("unexpected '" + describeHere() + "'");
    }

    private Object fun(int start) throws TermSyntaxException {
        skipSpace();
        Atom module = atomOnly();
        skipSpace();
        expect(':');
        skipSpace();
        Atom function = atomOnly();
        skipSpace();
        expect('/');
        skipSpace();
        int at = pos;
        Object arity = number();
        if (!(arity instanceof Long a) || a < 0 || a > 255) {
            throw new TermSyntaxException("fun arity must be 0..255", at);
        }
        return new ExportFun(module, function, (int) (long) a);
    }

    private Atom atomOnly() throws TermSyntaxException {
        char c = peek();
        if (c == '\'') {
            return Atom.of(quoted('\''));
        }
        if ((c >= 'a' && c <= 'z') || (c >= 0xdf && c <= 0xff && c != 0xf7)) {
            return Atom.of(name());
        }
        throw error("expected an atom, found '" + describeHere() + "'");
    }

    private String name() {
        int start = pos;
        pos++;
        while (pos < text.length() && TermFormat.isNameChar(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private Object number() throws TermSyntaxException {
        int start = pos;
        boolean negative = false;
        if (peek() == '-' || peek() == '+') {
            negative = text.charAt(pos) == '-';
            pos++;
            skipSpace();
        }
        String digits = digits(10);
        if (digits.isEmpty()) {
            throw new TermSyntaxException("expected a number", start);
        }
        if (peek() == '#') {
            int radix = Integer.parseInt(digits);
            if (radix < 2 || radix > 36) {
                throw new TermSyntaxException("base must be 2..36, not " + radix, start);
            }
            pos++;
            String value = digits(radix);
            if (value.isEmpty()) {
                throw error("expected digits in base " + radix);
            }
            return integer(new BigInteger(value, radix), negative);
        }
        if (peek() == '.' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1))) {
            pos++;
            String frac = digits(10);
            String exp = "";
            if (peek() == 'e' || peek() == 'E') {
                int save = pos;
                pos++;
                String sign = "";
                if (peek() == '-' || peek() == '+') {
                    sign = String.valueOf(text.charAt(pos));
                    pos++;
                }
                String e = digits(10);
                if (e.isEmpty()) {
                    pos = save;
                } else {
                    exp = "e" + sign + e;
                }
            }
            double d = Double.parseDouble(digits + "." + frac + exp);
            if (Double.isInfinite(d)) {
                throw new TermSyntaxException("float out of range", start);
            }
            return negative ? -d : d;
        }
        return integer(new BigInteger(digits), negative);
    }

    private static Object integer(BigInteger value, boolean negative) {
        BigInteger v = negative ? value.negate() : value;
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    /** Digits of the radix, with Erlang's single underscores between digits dropped. */
    private String digits(int radix) {
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.digit(c, radix) >= 0 && c < 128) {
                out.append(c);
                pos++;
            } else if (c == '_' && !out.isEmpty() && pos + 1 < text.length()
                    && Character.digit(text.charAt(pos + 1), radix) >= 0) {
                pos++;
            } else {
                break;
            }
        }
        return out.toString();
    }

    /** One or more adjacent string literals, concatenated as Erlang does. */
    private String strings() throws TermSyntaxException {
        StringBuilder out = new StringBuilder(quoted('"'));
        while (true) {
            int save = pos;
            skipSpace();
            if (peek() != '"') {
                pos = save;
                return out.toString();
            }
            out.append(quoted('"'));
        }
    }

    private String quoted(char quote) throws TermSyntaxException {
        int start = pos;
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new TermSyntaxException("unterminated " + (quote == '"' ? "string" : "atom"), start);
            }
            int c = text.codePointAt(pos);
            if (c == quote) {
                pos++;
                return out.toString();
            }
            if (c == '\\') {
                pos++;
                out.appendCodePoint(escape());
            } else {
                out.appendCodePoint(c);
                pos += Character.charCount(c);
            }
        }
    }

    private int charLiteral() throws TermSyntaxException {
        if (pos >= text.length()) {
            throw error("unexpected end of text after '$'");
        }
        int c = text.codePointAt(pos);
        if (c == '\\') {
            pos++;
            return escape();
        }
        pos += Character.charCount(c);
        return c;
    }

    /** An escape after the backslash, as erl_scan reads it. */
    private int escape() throws TermSyntaxException {
        if (pos >= text.length()) {
            throw error("unterminated escape");
        }
        char c = text.charAt(pos++);
        switch (c) {
            case 'b':
                return '\b';
            case 'd':
                return 0x7f;
            case 'e':
                return 0x1b;
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 's':
                return ' ';
            case 't':
                return '\t';
            case 'v':
                return 0x0b;
            case '^': {
                if (pos >= text.length()) {
                    throw error("unterminated escape");
                }
                return text.charAt(pos++) & 31;
            }
            case 'x': {
                int start = pos;
                if (peek() == '{') {
                    int close = text.indexOf('}', pos);
                    if (close < 0) {
                        throw error("unterminated \\x{...} escape");
                    }
                    String hex = text.substring(pos + 1, close);
                    pos = close + 1;
                    return codePoint(hex, start);
                }
                int end = Math.min(pos + 2, text.length());
                String hex = text.substring(pos, end);
                pos = end;
                return codePoint(hex, start);
            }
            default:
                if (c >= '0' && c <= '7') {
                    int v = c - '0';
                    for (int i = 0; i < 2 && peek() >= '0' && peek() <= '7'; i++) {
                        v = v * 8 + (text.charAt(pos++) - '0');
                    }
                    return v;
                }
                if (Character.isHighSurrogate(c)) {
                    int cp = text.codePointAt(pos - 1);
                    pos += Character.charCount(cp) - 1;
                    return cp;
                }
                return c;
        }
    }

    private static int codePoint(String hex, int at) throws TermSyntaxException {
        try {
            int v = Integer.parseInt(hex, 16);
            if (hex.isEmpty() || v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new TermSyntaxException("bad \\x escape '" + hex + "'", at);
        }
    }

    private Object binary() throws TermSyntaxException {
        pos += 2;
        BitWriter bits = new BitWriter();
        skipSpace();
        if (text.startsWith(">>", pos)) {
            pos += 2;
            return Binary.EMPTY;
        }
        while (true) {
            skipSpace();
            segment(bits);
            skipSpace();
            if (text.startsWith(">>", pos)) {
                pos += 2;
                return bits.toTerm();
            }
            expect(',');
        }
    }

    private void segment(BitWriter bits) throws TermSyntaxException {
        int start = pos;
        List<BigInteger> values = new ArrayList<>();
        boolean string = false;
        char c = peek();
        if (c == '"') {
            string = true;
            String s = strings();
            s.codePoints().forEach(cp -> values.add(BigInteger.valueOf(cp)));
        } else if (c == '$') {
            pos++;
            values.add(BigInteger.valueOf(charLiteral()));
        } else {
            Object n = number();
            if (!(n instanceof Long) && !(n instanceof BigInteger)) {
                throw new TermSyntaxException("only integer and string segments can be read in a binary", start);
            }
            values.add(n instanceof Long l ? BigInteger.valueOf(l) : (BigInteger) n);
        }
        skipSpace();
        int size = 8;
        boolean sized = false;
        if (peek() == ':') {
            pos++;
            skipSpace();
            int at = pos;
            String digits = digits(10);
            if (digits.isEmpty() || digits.length() > 7) {
                throw new TermSyntaxException("bad segment size", at);
            }
            size = Integer.parseInt(digits);
            sized = true;
            skipSpace();
        }
        String type = "integer";
        if (peek() == '/') {
            pos++;
            skipSpace();
            int at = pos;
            type = name();
            if (!type.equals("integer") && !type.equals("utf8")) {
                throw new TermSyntaxException("segment type '" + type + "' is not supported (integer, utf8)", at);
            }
            if (type.equals("utf8") && sized) {
                throw new TermSyntaxException("a utf8 segment has no size", at);
            }
        }
        if (string && values.isEmpty()) {
            return;
        }
        for (BigInteger v : values) {
            if (type.equals("utf8")) {
                int cp = v.intValue();
                if (v.bitLength() > 21 || v.signum() < 0 || cp > Character.MAX_CODE_POINT
                        || (cp >= 0xD800 && cp <= 0xDFFF)) {
                    throw new TermSyntaxException("not a Unicode code point: " + v, start);
                }
                for (byte b : new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    bits.write(BigInteger.valueOf(b & 0xff), 8);
                }
            } else {
                bits.write(v, size);
            }
        }
    }

    private void expect(char c) throws TermSyntaxException {
        if (peek() != c) {
            throw error("expected '" + c + "', found '" + describeHere() + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private String describeHere() {
        if (pos >= text.length()) {
            return "end of text";
        }
        return text.substring(pos, text.offsetByCodePoints(pos, 1));
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '%') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (Character.isWhitespace(c) || c == 0xa0) {
                pos++;
            } else {
                return;
            }
        }
    }

    private TermSyntaxException error(String reason) {
        return new TermSyntaxException(reason, pos);
    }

    /** Collects segments bit by bit, big-endian, as Erlang's binary construction does. */
    private static final class BitWriter {
        private byte[] bytes = new byte[16];
        private long bitCount;

        void write(BigInteger value, int size) throws TermSyntaxException {
            if (bitCount + size > (1L << 31)) {
                throw new TermSyntaxException("binary too large", 0);
            }
            for (int i = size - 1; i >= 0; i--) {
                int byteIndex = (int) (bitCount >>> 3);
                if (byteIndex >= bytes.length) {
                    bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
                }
                if (value.testBit(i)) {
                    bytes[byteIndex] |= (byte) (0x80 >>> (bitCount & 7));
                }
                bitCount++;
            }
        }

        Object toTerm() {
            return BitString.ofBits(bytes, bitCount);
        }
    }
}
