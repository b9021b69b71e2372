package io.ergon.term;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An Erlang binary: an immutable sequence of bytes. Two binaries are equal when their bytes are equal.
 *
 * <p>The bytes are copied in and out, so a {@code Binary} never changes. {@link BitString} is the type for
 * bitstrings whose length is not a whole number of bytes.
 */
public final class Binary implements Comparable<Binary> {
    /** The empty binary, {@code <<>>}. */
    public static final Binary EMPTY = new Binary(new byte[0]);

    final byte[] bytes;

    Binary(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A binary holding a copy of these bytes. */
    public static Binary of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Binary(bytes.clone());
    }

    /** A binary holding a copy of {@code length} bytes from {@code offset}. */
    public static Binary of(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return length == 0 ? EMPTY : new Binary(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    /** The UTF-8 encoding of the text, as Elixir strings and Ergon's {@code String}s travel. */
    public static Binary of(String text) {
        return text.isEmpty() ? EMPTY : new Binary(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The number of bytes. */
    public int size() {
        return bytes.length;
    }

    /** Byte {@code i} as an unsigned value 0..255. */
    public int byteAt(int i) {
        return bytes[i] & 0xff;
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The bytes decoded as UTF-8 (malformed sequences become U+FFFD). */
    public String utf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Compares bytes as unsigned values, shorter first on a common prefix: Erlang's order for binaries. */
    @Override
    public int compareTo(Binary other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof Binary b && Arrays.equals(b.bytes, bytes));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The binary in Erlang's {@code ~w} syntax, e.g. {@code <<1,2,3>>}. */
    @Override
    public String toString() {
        return TermFormat.print(this);
    }
}
