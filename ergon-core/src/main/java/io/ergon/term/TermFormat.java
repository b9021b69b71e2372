package io.ergon.term;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders terms in Erlang syntax, the way {@code io_lib:format("~w", [T])} does.
 *
 * <p>Pids, ports and references render with node index {@code 0} when they carry a handle to a process of this JVM
 * and with the index {@link #nodeIndex(Atom)} gives otherwise.
 */
public final class TermFormat {
    private static final Set<String> RESERVED = Set.of("after", "and", "andalso", "band", "begin", "bnot", "bor",
            "bsl", "bsr", "bxor", "case", "catch", "cond", "div", "end", "fun", "if", "let", "maybe", "not", "of",
            "or", "orelse", "receive", "rem", "try", "when", "xor", "else");

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
        switch (term) {
            case null -> out.append("null");
            case Atom atom -> appendAtom(out, atom.name());
            case Integer i -> out.append(i);
            case Long l -> out.append(l);
            case Short s -> out.append(s);
            case Byte b -> out.append(b);
            case java.math.BigInteger big -> out.append(big);
            case Double d -> out.append(d);
            case Float f -> out.append((double) f);
            case Boolean b -> out.append(b);
            case Pid pid -> out.append('<').append(nodeIndex(pid.node())).append('.')
                    .append(Integer.toUnsignedString(pid.id())).append('.')
                    .append(Integer.toUnsignedString(pid.serial())).append('>');
            case Ref ref -> {
                out.append("#Ref<").append(nodeIndex(ref.node()));
                for (int i = ref.wordCount() - 1; i >= 0; i--) {
                    out.append('.').append(Integer.toUnsignedString(ref.word(i)));
                }
                out.append('>');
            }
            case Tuple tuple -> {
                out.append('{');
                for (int i = 0; i < tuple.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    append(out, tuple.get(i));
                }
                out.append('}');
            }
            case List<?> list -> appendList(out, list, null);
            case ImproperList list -> appendList(out, list.elements(), list.tail());
            case String s -> appendBinary(out, s.getBytes(StandardCharsets.UTF_8));
            case byte[] bytes -> appendBinary(out, bytes);
            case Map<?, ?> map -> {
                out.append("#{");
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    append(out, e.getKey());
                    out.append(" => ");
                    append(out, e.getValue());
                }
                out.append('}');
            }
            case TermConvertible convertible -> append(out, convertible.toTerm());
            default -> out.append(term);
        }
    }

    /** The node index a pid, port or reference of {@code node} renders with. */
    static int nodeIndex(Atom node) {
        return 0;
    }

    private static void appendList(StringBuilder out, List<?> elements, Object tail) {
        out.append('[');
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            append(out, elements.get(i));
        }
        if (tail != null) {
            out.append('|');
            append(out, tail);
        }
        out.append(']');
    }

    private static void appendBinary(StringBuilder out, byte[] bytes) {
        out.append("<<");
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(bytes[i] & 0xff);
        }
        out.append(">>");
    }

    /** Appends an atom's name, quoted if Erlang would quote it. */
    static void appendAtom(StringBuilder out, String name) {
        if (needsQuotes(name)) {
            out.append('\'');
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                switch (c) {
                    case '\'' -> out.append("\\'");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\t' -> out.append("\\t");
                    default -> out.append(c);
                }
            }
            out.append('\'');
        } else {
            out.append(name);
        }
    }

    private static boolean needsQuotes(String name) {
        if (name.isEmpty() || RESERVED.contains(name)) {
            return true;
        }
        char first = name.charAt(0);
        if (first < 'a' || first > 'z') {
            return true;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '@';
            if (!ok) {
                return true;
            }
        }
        return false;
    }
}
