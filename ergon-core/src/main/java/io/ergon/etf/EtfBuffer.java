package io.ergon.etf;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable byte buffer that encodings are written into, reusable across messages ({@link #reset()}). Besides the
 * encoder's own writes it offers big-endian puts and {@link #setInt back-patching}, so the distribution layer can
 * write frame lengths and headers into the same buffer, and hands out its bytes without a copy
 * ({@link #array()} with {@link #size()}, {@link #asByteBuffer()}, {@link #writeTo}).
 *
 * <p>Not thread-safe. Grows up to {@value #MAX_SIZE} bytes; beyond that a write throws
 * {@link IllegalStateException}.
 */
public final class EtfBuffer {
    /** The largest buffer (the largest Java array that is safe to allocate). */
    public static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    byte[] buf;
    int pos;

    public EtfBuffer() {
        this(256);
    }

    public EtfBuffer(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** The number of bytes written. */
    public int size() {
        return pos;
    }

    /** The backing array (valid from 0 to {@link #size()}); it changes when the buffer grows. */
    public byte[] array() {
        return buf;
    }

    /** A copy of the written bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** A view of the written bytes, without a copy; valid until the next write. */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(buf, 0, pos);
    }

    /** Writes the written bytes to the stream. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, pos);
    }

    /** Forgets the contents, keeping the capacity. */
    public EtfBuffer reset() {
        pos = 0;
        return this;
    }

    /** Makes room for {@code n} more bytes. */
    public void ensure(int n) {
        if (n > buf.length - pos) {
            grow(n);
        }
    }

    private void grow(int n) {
        long needed = (long) pos + n;
        if (needed > MAX_SIZE) {
            throw new IllegalStateException("encoding larger than " + MAX_SIZE + " bytes");
        }
        long capacity = Math.max(needed, Math.min((long) buf.length * 2, MAX_SIZE));
        buf = Arrays.copyOf(buf, (int) capacity);
    }

    public EtfBuffer put(int b) {
        if (pos == buf.length) {
            grow(1);
        }
        buf[pos++] = (byte) b;
        return this;
    }

    public EtfBuffer putShort(int v) {
        ensure(2);
        SHORT.set(buf, pos, (short) v);
        pos += 2;
        return this;
    }

    public EtfBuffer putInt(int v) {
        ensure(4);
        INT.set(buf, pos, v);
        pos += 4;
        return this;
    }

    public EtfBuffer putLong(long v) {
        ensure(8);
        LONG.set(buf, pos, v);
        pos += 8;
        return this;
    }

    public EtfBuffer put(byte[] bytes) {
        return put(bytes, 0, bytes.length);
    }

    public EtfBuffer put(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, pos, length);
        pos += length;
        return this;
    }

    /** Overwrites four bytes at {@code position} (e.g. a length written before its contents were known). */
    public EtfBuffer setInt(int position, int v) {
        java.util.Objects.checkFromIndexSize(position, 4, pos);
        INT.set(buf, position, v);
        return this;
    }

    // Unchecked writes for the encoder, after ensure().
    void rawByte(int b) {
        buf[pos++] = (byte) b;
    }

    void rawShort(int v) {
        SHORT.set(buf, pos, (short) v);
        pos += 2;
    }

    void rawInt(int v) {
        INT.set(buf, pos, v);
        pos += 4;
    }

    void rawLong(long v) {
        LONG.set(buf, pos, v);
        pos += 8;
    }
}
