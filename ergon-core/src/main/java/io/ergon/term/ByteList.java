package io.ergon.term;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A proper list of integers 0..255 held as bytes: what a {@code STRING_EXT} ({@code "abc"} on the wire) decodes to.
 * It is an ordinary immutable {@code List} whose elements are {@link Long}s, so list code works on it unchanged, and
 * it offers the bytes and a Latin-1 string view as well. Equality and hashing are {@link java.util.List}'s.
 */
public final class ByteList extends AbstractList<Object> implements RandomAccess {
    private static final Long[] LONGS = new Long[256];

    static {
        for (int i = 0; i < LONGS.length; i++) {
            LONGS[i] = (long) i;
        }
    }

    final byte[] bytes;

    ByteList(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The list of these byte values (copied), each taken as unsigned. */
    public static ByteList of(byte[] bytes) {
        return new ByteList(bytes.clone());
    }

    /** The list of the character codes of a Latin-1 text. */
    public static ByteList ofLatin1(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xff) {
                throw new IllegalArgumentException("not Latin-1: character " + (int) text.charAt(i) + " at " + i);
            }
        }
        return new ByteList(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The boxed {@code Long} for an unsigned byte value, shared. */
    static Long boxed(int value) {
        return LONGS[value];
    }

    @Override
    public Long get(int index) {
        return LONGS[bytes[index] & 0xff];
    }

    @Override
    public int size() {
        return bytes.length;
    }

    /** Element {@code i} as an int 0..255, without boxing. */
    public int byteAt(int i) {
        return bytes[i] & 0xff;
    }

    /** A copy of the elements as bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The elements read as Latin-1 character codes: Erlang's view of this list as a string. */
    public String asLatin1String() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The list in Erlang's {@code ~w} syntax, e.g. {@code [97,98,99]}. */
    @Override
    public String toString() {
        return TermFormat.print(this);
    }
}
