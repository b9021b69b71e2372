package io.ergon.term.internal;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * An immutable list over an array it takes without copying: what the codec and the parser hand out for proper lists.
 * Equality and hashing are {@link java.util.List}'s.
 */
public final class TermList extends AbstractList<Object> implements RandomAccess {
    private final Object[] elements;

    /** Takes the array; the caller must not change it afterwards. */
    public TermList(Object[] elements) {
        this.elements = elements;
    }

    @Override
    public Object get(int index) {
        return elements[index];
    }

    @Override
    public int size() {
        return elements.length;
    }

    /** The backing array itself, for the codec (never change it). */
    public Object[] array() {
        return elements;
    }

    @Override
    public Object[] toArray() {
        return elements.clone();
    }
}
