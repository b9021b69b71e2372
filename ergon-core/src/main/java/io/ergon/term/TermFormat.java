package io.ergon.term;

import io.ergon.api.InternalApi;
import io.ergon.term.internal.LocalHandles;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Renders terms in Erlang syntax exactly as OTP 25's {@code io_lib:format("~w", [T])} does: atoms quoted and
 * escaped as Erlang does (characters above 255 as {@code \x{...}}), floats in their shortest form, lists as lists
 * (never as strings), binaries as bytes, maps in their iteration order. Java values are rendered as the terms they
 * encode as ({@link Terms#canonical}). Deeply nested terms are rendered without recursion.
 *
 * <p>Pids, ports and references show a node index where Erlang shows the index of the node in its own tables:
 * {@code 0} for this JVM's nodes (those {@linkplain #registerLocalNode registered as local}, pids that carry a
 * local process handle, and {@code nonode@nohost}), and for others a small number given to each node name in the
 * order they are first shown. A value that is not a term renders as {@code #Java<class>}, which no parser reads.
 */
public final class TermFormat {
    private static final Set<String> RESERVED = Set.of("after", "and", "andalso", "band", "begin", "bnot", "bor",
            "bsl", "bsr", "bxor", "case", "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or",
            "orelse", "receive", "rem", "try", "when", "xor");
    private static final Atom NO_NODE = Atom.of("nonode@nohost");
    private static final Set<Atom> LOCAL_NODES = ConcurrentHashMap.newKeySet();
    private static final ConcurrentHashMap<Atom, Integer> NODE_INDEX = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_INDEX = new AtomicInteger(1);

    /** A piece of literal text on the work stack (a plain String there would be a term). */
    private record Text(String text) {
    }

    private static final Text COMMA = new Text(",");
    private static final Text CLOSE_LIST = new Text("]");
    private static final Text CLOSE_TUPLE = new Text("}");
    private static final Text BAR = new Text("|");
    private static final Text ARROW = new Text(" => ");

    private TermFormat() {
    }

    /** The term in Erlang's {@code ~w} syntax. */
    public static String format(Object term) {
        StringBuilder out = new StringBuilder();
        append(out, term);
        return out.toString();
    }

    /** Appends the term in Erlang's {@code ~w} syntax. */
    public static void append(StringBuilder out, Object term) {
        append(out, term, false);
    }

    /**
     * The term for people, as Erlang's {@code ~p} shows it on one line: like {@link #format} except that a binary
     * of printable UTF-8 text shows as {@code <<"text">>} and a non-empty list of printable characters as
     * {@code "text"}. Logs, {@code toString} and the CLI's narratives use it; the wire and {@code ergon term} use
     * {@link #format}.
     */
    public static String print(Object term) {
        StringBuilder out = new StringBuilder();
        append(out, term, true);
        return out.toString();
    }

    private static void append(StringBuilder out, Object term, boolean readable) {
        ArrayDeque<Object> work = new ArrayDeque<>();
        work.push(term == null ? new Text("null") : term);
        while (!work.isEmpty()) {
            Object next = work.pop();
            if (next instanceof Text t) {
                out.append(t.text);
            } else if (!readable || !appendReadable(out, next)) {
                appendOne(out, next, work);
            }
        }
    }

    /** Writes a printable binary or character list as text; false if {@code value} is neither. */
    private static boolean appendReadable(StringBuilder out, Object value) {
        if (value instanceof Binary b && b.size() > 0) {
            String text = Printable.utf8Text(b.bytes);
            if (text != null) {
                out.append("<<");
                Printable.appendQuoted(out, text);
                out.append(">>");
                return true;
            }
        } else if (value instanceof String s && !s.isEmpty() && Printable.isPrintable(s)) {
            out.append("<<");
            Printable.appendQuoted(out, s);
            out.append(">>");
            return true;
        } else if (value instanceof List<?> list && !list.isEmpty() && list.size() <= 65535) {
            String text = Printable.charList(list);
            if (text != null) {
                Printable.appendQuoted(out, text);
                return true;
            }
        }
        return false;
    }

    /** Marks a node name as this JVM's, so its pids, ports and references show node index 0; the node's runtime does. */
    @InternalApi
    public static void registerLocalNode(Atom node) {
        LOCAL_NODES.add(node);
    }

    /** Undoes {@link #registerLocalNode}. */
    @InternalApi
    public static void unregisterLocalNode(Atom node) {
        LOCAL_NODES.remove(node);
    }

    /** The node index a pid, port or reference of {@code node} renders with. */
    static int nodeIndex(Atom node) {
        if (node == NO_NODE || LOCAL_NODES.contains(node)) {
            return 0;
        }
        return NODE_INDEX.computeIfAbsent(node, n -> NEXT_INDEX.getAndIncrement());
    }

    /** Writes a scalar, or the opening of a container and pushes its parts (in reverse) onto the work stack. */
    private static void appendOne(StringBuilder out, Object value, ArrayDeque<Object> work) {
        Object term = value instanceof Long || value instanceof Atom ? value : Terms.canonical(value);
        switch (term) {
            case Long l -> out.append((long) l);
            case Atom atom -> appendAtom(out, atom.name());
            case Tuple tuple -> {
                out.append('{');
                work.push(CLOSE_TUPLE);
                for (int i = tuple.size() - 1; i >= 0; i--) {
                    work.push(tuple.get(i));
                    if (i > 0) {
                        work.push(COMMA);
                    }
                }
            }
            case ByteList bytes -> {
                out.append('[');
                for (int i = 0; i < bytes.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    out.append(bytes.byteAt(i));
                }
                out.append(']');
            }
            case List<?> list -> pushList(out, list, null, work);
            case ImproperList list -> pushList(out, list.elements(), list.tail(), work);
            case Binary binary -> appendBits(out, binary.bytes, 0);
            case BitString bits -> appendBits(out, bits.bytes, bits.bitsInLastByte());
            case Double d -> out.append(FloatText.format(d));
            case BigInteger big -> out.append(big);
            case Map<?, ?> map -> {
                out.append("#{");
                work.push(CLOSE_TUPLE);
                Object[] parts = new Object[map.size() * 4];
                int n = 0;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (n > 0) {
                        parts[n++] = COMMA;
                    }
                    parts[n++] = e.getKey();
                    parts[n++] = ARROW;
                    parts[n++] = e.getValue();
                }
                for (int i = n - 1; i >= 0; i--) {
                    work.push(parts[i]);
                }
            }
            case Pid pid -> out.append('<').append(LocalHandles.process(pid) != null ? 0 : nodeIndex(pid.node()))
                    .append('.').append(Integer.toUnsignedString(pid.id())).append('.')
                    .append(Integer.toUnsignedString(pid.serial())).append('>');
            case Ref ref -> {
                out.append("#Ref<").append(nodeIndex(ref.node()));
                for (int i = ref.wordCount() - 1; i >= 0; i--) {
                    out.append('.').append(Integer.toUnsignedString(ref.word(i)));
                }
                out.append('>');
            }
            case Port port -> out.append("#Port<").append(nodeIndex(port.node())).append('.')
                    .append(Long.toUnsignedString(port.id())).append('>');
            case ExportFun fun -> {
                out.append("fun ");
                appendAtom(out, fun.module().name());
                out.append(':');
                appendAtom(out, fun.function().name());
                out.append('/').append(fun.arity());
            }
            case LocalFun fun -> out.append("#Fun<").append(fun.module().name()).append('.').append(fun.index())
                    .append('.').append(fun.oldUniq()).append('>');
            default -> out.append("#Java<").append(term.getClass().getName()).append('>');
        }
    }

    private static void pushList(StringBuilder out, List<?> elements, Object tail, ArrayDeque<Object> work) {
        out.append('[');
        work.push(CLOSE_LIST);
        if (tail != null) {
            work.push(tail);
            work.push(BAR);
        }
        Object[] items = elements.toArray();
        for (int i = items.length - 1; i >= 0; i--) {
            work.push(items[i]);
            if (i > 0) {
                work.push(COMMA);
            }
        }
    }

    private static void appendBits(StringBuilder out, byte[] bytes, int bitsInLastByte) {
        out.append("<<");
        int whole = bitsInLastByte == 0 ? bytes.length : bytes.length - 1;
        for (int i = 0; i < whole; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(bytes[i] & 0xff);
        }
        if (bitsInLastByte != 0) {
            if (whole > 0) {
                out.append(',');
            }
            out.append((bytes[whole] & 0xff) >>> (8 - bitsInLastByte)).append(':').append(bitsInLastByte);
        }
        out.append(">>");
    }

    /** Appends an atom's name as {@code io_lib:write_atom_as_latin1} does: quoted and escaped where needed. */
    static void appendAtom(StringBuilder out, String name) {
        if (!needsQuotes(name)) {
            out.append(name);
            return;
        }
        out.append('\'');
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            i += Character.charCount(c);
            appendQuotedChar(out, c, '\'');
        }
        out.append('\'');
    }

    /** One character inside quotes, as {@code io_lib}'s {@code string_char(unicode_as_latin1, ...)}. */
    static void appendQuotedChar(StringBuilder out, int c, char quote) {
        if (c == quote) {
            out.append('\\').append(quote);
        } else if (c == '\\') {
            out.append("\\\\");
        } else if ((c >= ' ' && c <= '~') || (c >= 0xa0 && c <= 0xff)) {
            out.append((char) c);
        } else if (c > 0xff) {
            out.append("\\x{").append(Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)).append('}');
        } else {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x0b -> out.append("\\v");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case 0x1b -> out.append("\\e");
                case 0x7f -> out.append("\\d");
                default -> out.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
                        .append((char) ('0' + (c & 7)));
            }
        }
    }

    /** True if Erlang writes this atom name in quotes ({@code io_lib:quote_atom}). */
    static boolean needsQuotes(String name) {
        if (name.isEmpty() || RESERVED.contains(name)) {
            return true;
        }
        char first = name.charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= 0xdf && first <= 0xff && first != 0xf7))) {
            return true;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!isNameChar(name.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** A character that may follow the first in an unquoted atom (or a variable). */
    static boolean isNameChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 0xdf && c <= 0xff && c != 0xf7) || (c >= 'A' && c <= 'Z')
                || (c >= 0xc0 && c <= 0xde && c != 0xd7) || (c >= '0' && c <= '9') || c == '_' || c == '@';
    }
}
