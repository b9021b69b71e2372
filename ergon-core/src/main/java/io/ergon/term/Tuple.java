package io.ergon.term;

import java.util.List;
import java.util.Objects;

/**
 * An Erlang tuple: a fixed-size, immutable sequence of terms. Equality is Erlang's {@code =:=} element by element
 * (see {@link Terms#exactlyEqual}), and hashing agrees with it.
 */
public final class Tuple {
    private static final Object[] NO_ELEMENTS = new Object[0];
    private static final Tuple EMPTY = new Tuple(NO_ELEMENTS);

    final Object[] elements;

    private Tuple(Object[] elements) {
        this.elements = elements;
    }

    /** Takes the array without copying (the codec's path; elements are known to be non-null). */
    static Tuple wrap(Object[] elements) {
        return elements.length == 0 ? EMPTY : new Tuple(elements);
    }

    /** A tuple of these elements (none may be null). */
    public static Tuple of(Object... elements) {
        if (elements.length == 0) {
            return EMPTY;
        }
        Object[] copy = elements.clone();
        for (int i = 0; i < copy.length; i++) {
            Objects.requireNonNull(copy[i], () -> "tuple element is null");
        }
        return new Tuple(copy);
    }

    /** A tuple of the list's elements, in order. */
    public static Tuple fromList(List<?> elements) {
        return of(elements.toArray());
    }

    /** The number of elements. */
    public int size() {
        return elements.length;
    }

    /** Element {@code i}, counted from 0. */
    public Object get(int i) {
        return elements[i];
    }

    /** Element {@code i} cast to the type the caller expects. */
    @SuppressWarnings("unchecked")
    public <T> T getAs(int i) {
        return (T) elements[i];
    }

    /** The elements as an unmodifiable list. */
    public List<Object> elements() {
        return List.of(elements);
    }

    /** True if the tuple has {@code size} elements and the first is the atom {@code tag}. */
    public boolean isTagged(Atom tag, int size) {
        return elements.length == size && size > 0 && elements[0] == tag;
    }

    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof Tuple t && Terms.exactlyEqual(this, t));
    }

    @Override
    public int hashCode() {
        return Terms.hash(this);
    }

    /** The tuple in Erlang syntax. */
    @Override
    public String toString() {
        return TermFormat.print(this);
    }
}
