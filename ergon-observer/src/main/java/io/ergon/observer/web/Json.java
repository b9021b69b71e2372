package io.ergon.observer.web;

import io.ergon.observer.snapshot.PidText;
import io.ergon.term.Pid;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the observer's views as JSON, for the page and for scripts: records as objects (their components by name),
 * maps as objects, collections as arrays, pids as {@code "<0.Id.Serial>"}, enums by their lower-case name, any
 * other object as its text. Written here rather than taken from a library: the module has no dependency.
 */
public final class Json {
    private Json() {
    }

    /** {@code value} as JSON text. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder(1024);
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case Boolean b -> out.append(b);
            case Double d -> out.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.3f", d));
            case Number n -> out.append(n);
            case Pid p -> string(PidText.of(p), out);
            case Enum<?> e -> string(e.name().toLowerCase(Locale.ROOT), out);
            case Map<?, ?> m -> {
                out.append('{');
                Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<?, ?> e = it.next();
                    string(String.valueOf(e.getKey()), out);
                    out.append(':');
                    write(e.getValue(), out);
                    if (it.hasNext()) {
                        out.append(',');
                    }
                }
                out.append('}');
            }
            case Collection<?> c -> {
                out.append('[');
                boolean first = true;
                for (Object o : c) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(o, out);
                }
                out.append(']');
            }
            case Record r -> record(r, out);
            default -> string(value.toString(), out);
        }
    }

    private static void record(Record r, StringBuilder out) {
        out.append('{');
        RecordComponent[] parts = r.getClass().getRecordComponents();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            string(parts[i].getName(), out);
            out.append(':');
            try {
                write(parts[i].getAccessor().invoke(r), out);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + parts[i], e);
            }
        }
        out.append('}');
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c)); // safe inside a <script> too
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
