package io.ergon.io.internal;

import io.ergon.io.IoError;
import io.ergon.io.Packet;
import java.util.Arrays;

/**
 * Cuts a byte stream into packets by a {@link Packet} framing. Bytes are {@link #append}ed as they are read and
 * complete packets taken with {@link #next()}; what waits in between is {@link #buffered()}. An empty decoder
 * holds no buffer, so an idle connection costs only this object. Not thread-safe: its socket's read lock guards it.
 */
public final class PacketDecoder {
    private static final byte[] EMPTY = new byte[0];

    private final Packet packet;
    private final int maxLength;
    private byte[] buffer = EMPTY;
    private int start;
    private int end;
    /** how far a line search has already looked, so that a long line is not scanned again on each read */
    private int scanned;

    /**
     * A decoder for {@code packet}; {@code maxLength} bounds one packet (a longer length-prefixed packet is an
     * {@link IoError#EMSGSIZE}, a longer line arrives in pieces).
     */
    public PacketDecoder(Packet packet, int maxLength) {
        this.packet = packet;
        this.maxLength = maxLength;
    }

    /** The bytes read and not yet delivered. */
    public int buffered() {
        return end - start;
    }

    /** Adds {@code length} bytes read from the stream. */
    public void append(byte[] bytes, int offset, int length) {
        if (end + length > buffer.length) {
            int live = end - start;
            if (live + length <= buffer.length && start > 0) {
                System.arraycopy(buffer, start, buffer, 0, live);
            } else {
                byte[] grown = new byte[Math.max(live + length, Math.min(2 * buffer.length, live + length + 65536))];
                System.arraycopy(buffer, start, grown, 0, live);
                buffer = grown;
            }
            scanned -= start;
            start = 0;
            end = live;
        }
        System.arraycopy(bytes, offset, buffer, end, length);
        end += length;
    }

    /**
     * The next complete packet, or null if more bytes are needed.
     *
     * @throws IoError {@code emsgsize} for a length-prefixed packet over the limit
     */
    public byte[] next() {
        if (end == start) {
            return null;
        }
        return switch (packet) {
            case Packet.Raw r -> take(end - start);
            case Packet.Line line -> nextLine(line.delimiter());
            case Packet.Length l -> nextLengthPrefixed(l.headerBytes());
        };
    }

    /** Exactly {@code n} bytes of a raw stream, or null if fewer are buffered. */
    public byte[] next(int n) {
        return end - start >= n ? take(n) : null;
    }

    /** What is left at the end of the stream (an unfinished packet), or null if nothing is. */
    public byte[] rest() {
        return end == start ? null : take(end - start);
    }

    private byte[] nextLine(byte delimiter) {
        int from = Math.max(start, scanned);
        for (int i = from; i < end; i++) {
            if (buffer[i] == delimiter) {
                return take(i + 1 - start);
            }
        }
        if (end - start >= maxLength) {
            return take(maxLength);
        }
        scanned = end;
        return null;
    }

    private byte[] nextLengthPrefixed(int headerBytes) {
        if (end - start < headerBytes) {
            return null;
        }
        long length = 0;
        for (int i = 0; i < headerBytes; i++) {
            length = (length << 8) | (buffer[start + i] & 0xff);
        }
        if (length > maxLength) {
            throw new IoError(IoError.EMSGSIZE, "a packet of " + length + " bytes is over the limit of "
                    + maxLength);
        }
        if (end - start - headerBytes < length) {
            return null;
        }
        start += headerBytes;
        return take((int) length);
    }

    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buffer, start, start + n);
        start += n;
        if (start == end) {
            // drop the buffer: an idle connection keeps none
            buffer = EMPTY;
            start = 0;
            end = 0;
            scanned = 0;
        }
        return out;
    }
}
