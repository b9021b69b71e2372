package io.ergon.term;

import io.ergon.term.internal.TermList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An Erlang list whose tail is not the empty list, such as {@code [alias | Ref]} or {@code [1, 2 | 3]}.
 * Proper lists are plain {@link java.util.List}s; this type exists only for the improper ones. Equality is Erlang's
 * {@code =:=}.
 *
 * @param elements the elements before the tail; at least one, none null
 * @param tail the final tail; never a list (that would make the list longer, not improper)
 */
public record ImproperList(List<Object> elements, Object tail) {
    public ImproperList {
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("an improper list has at least one element before its tail");
        }
        Objects.requireNonNull(tail, "tail");
        if (tail instanceof List<?> || tail instanceof ImproperList) {
            throw new IllegalArgumentException("the tail of an improper list cannot be a list; use ImproperList.of");
        }
        if (!(elements instanceof TermList)) {
            elements = List.copyOf(elements);
        }
    }

    /**
     * Conses {@code elements} onto {@code tail} as Erlang's {@code [E1, E2 | Tail]} does: the result is a proper
     * {@link List} when the tail is one, a longer improper list when the tail is improper, else an improper list.
     */
    public static Object of(List<?> elements, Object tail) {
        if (elements.isEmpty()) {
            return tail;
        }
        if (tail instanceof List<?> rest) {
            List<Object> all = new ArrayList<>(elements);
            all.addAll(rest);
            return List.copyOf(all);
        }
        if (tail instanceof ImproperList improper) {
            List<Object> all = new ArrayList<>(elements);
            all.addAll(improper.elements);
            return new ImproperList(all, improper.tail);
        }
        return new ImproperList(new ArrayList<>(elements), tail);
    }

    /** Erlang's {@code =:=}: elements and tail exactly equal (see {@link Terms#exactlyEqual}). */
    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof ImproperList l && Terms.exactlyEqual(this, l));
    }

    @Override
    public int hashCode() {
        return Terms.hash(this);
    }

    /** The improper list in Erlang syntax. */
    @Override
    public String toString() {
        return TermFormat.print(this);
    }
}
