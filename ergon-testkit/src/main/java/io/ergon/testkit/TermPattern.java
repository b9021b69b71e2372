package io.ergon.testkit;

import io.ergon.term.Atom;
import io.ergon.term.TermParser;
import io.ergon.term.TermSyntaxException;
import io.ergon.term.Terms;
import io.ergon.term.Tuple;
import java.util.List;
import java.util.function.Predicate;

/**
 * An Erlang-syntax pattern that messages are matched against, with {@code _} for "anything":
 * {@code TermPattern.of("{reply, _, ok}")} matches a tuple of three whose first element is the atom {@code reply}
 * and whose last is {@code ok}. Values compare as Erlang's {@code =:=} does, after a Java message is seen as the term
 * it stands for (a {@code String} as a binary, a registered record as its tagged tuple), so one pattern matches the
 * same message from a Java process and from an Erlang one.
 *
 * <p>Only {@code _} is a wildcard, in tuples and proper lists (a map or an improper list is compared whole); a named
 * variable ({@code X}) is a syntax error, as binding is not supported.
 */
public final class TermPattern implements Predicate<Object> {
    /** What the parser reads each {@code _} as: an atom no message holds by chance. */
    private static final Atom ANY = Atom.of("$ergon_testkit_any");

    private final String text;
    private final Object pattern;

    private TermPattern(String text, Object pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException if it is not an Erlang term with {@code _} in places
     */
    public static TermPattern of(String text) {
        try {
            return new TermPattern(text, TermParser.parse(withWildcards(text)));
        } catch (TermSyntaxException e) {
            throw new IllegalArgumentException("not a term pattern: " + text + " (" + e.getMessage() + ")", e);
        }
    }

    /** {@code text} with each bare {@code _} (outside quotes and strings) written as {@link #ANY}. */
    private static String withWildcards(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                out.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    out.append(text.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                out.append(c);
            } else if (c == '_' && !wordChar(text, i - 1) && !wordChar(text, i + 1)) {
                out.append('\'').append(ANY.name()).append('\'');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean wordChar(String text, int i) {
        return i >= 0 && i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                || text.charAt(i) == '@');
    }

    @Override
    public boolean test(Object message) {
        return matches(pattern, message);
    }

    private static boolean matches(Object pattern, Object value) {
        if (pattern == ANY) {
            return true;
        }
        Object v = Terms.canonical(value);
        if (pattern instanceof Tuple pt) {
            if (!(v instanceof Tuple vt) || vt.size() != pt.size()) {
                return false;
            }
            for (int i = 0; i < pt.size(); i++) {
                if (!matches(pt.get(i), vt.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (pattern instanceof List<?> pl) {
            if (!(v instanceof List<?> vl) || vl.size() != pl.size()) {
                return false;
            }
            for (int i = 0; i < pl.size(); i++) {
                if (!matches(pl.get(i), vl.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Terms.exactlyEqual(pattern, v);
    }

    @Override
    public String toString() {
        return text;
    }
}
