package io.ergon.term;

import java.util.Arrays;

/**
 * An Erlang bitstring whose length is not a whole number of bytes, such as {@code <<5:3>>}: the bytes, of which the
 * last is used only in its {@link #bitsInLastByte()} most significant bits (1 to 7). The unused low bits are always
 * zero, so equal bitstrings have equal bytes. Bitstrings of whole bytes are {@link Binary binaries}.
 */
public final class BitString {
    final byte[] bytes;
    private final int bitsInLastByte;

    BitString(byte[] bytes, int bitsInLastByte) {
        this.bytes = bytes;
        this.bitsInLastByte = bitsInLastByte;
    }

    /**
     * A bitstring of these bytes (copied) whose last byte holds {@code bitsInLastByte} bits, in its high bits; the
     * low bits are cleared.
     *
     * @throws IllegalArgumentException if there are no bytes or {@code bitsInLastByte} is not 1..7
     */
    public static BitString of(byte[] bytes, int bitsInLastByte) {
        return wrap(bytes.clone(), bitsInLastByte);
    }

    static BitString wrap(byte[] bytes, int bitsInLastByte) {
        if (bytes.length == 0 || bitsInLastByte < 1 || bitsInLastByte > 7) {
            throw new IllegalArgumentException("a bitstring has at least one byte and 1..7 bits in its last byte, not "
                    + bytes.length + " bytes and " + bitsInLastByte + " bits");
        }
        bytes[bytes.length - 1] &= (byte) (0xff00 >>> bitsInLastByte);
        return new BitString(bytes, bitsInLastByte);
    }

    /**
     * The bitstring of the first {@code bitCount} bits of {@code bytes}: a {@link Binary} when that is a whole
     * number of bytes, else a {@code BitString}.
     */
    public static Object ofBits(byte[] bytes, long bitCount) {
        if (bitCount < 0 || bitCount > 8L * bytes.length) {
            throw new IllegalArgumentException("bit count " + bitCount + " does not fit in " + bytes.length + " bytes");
        }
        int n = (int) ((bitCount + 7) / 8);
        int rest = (int) (bitCount % 8);
        return rest == 0 ? Binary.of(bytes, 0, n) : wrap(Arrays.copyOf(bytes, n), rest);
    }

    /** The number of bytes, the last one partly used. */
    public int byteSize() {
        return bytes.length;
    }

    /** How many high bits of the last byte belong to the bitstring (1..7). */
    public int bitsInLastByte() {
        return bitsInLastByte;
    }

    /** The length in bits. */
    public long bitSize() {
        return 8L * (bytes.length - 1) + bitsInLastByte;
    }

    /** A copy of the bytes (unused low bits of the last byte are zero). */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof BitString b && b.bitsInLastByte == bitsInLastByte
                && Arrays.equals(b.bytes, bytes));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + bitsInLastByte;
    }

    /** The bitstring in Erlang's {@code ~w} syntax, e.g. {@code <<255,1:7>>}. */
    @Override
    public String toString() {
        return TermFormat.format(this);
    }
}
