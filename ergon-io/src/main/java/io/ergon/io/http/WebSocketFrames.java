package io.ergon.io.http;

import java.util.Arrays;

/**
 * RFC 6455's frames, as a server sees them: {@link #encode} writes an unmasked frame with FIN set (the server never
 * fragments); {@link #next()} reads the client's frames, which must be masked, with at most {@code maxPayload} bytes
 * each and control frames of at most 125 bytes, unfragmented. Not thread-safe: its connection's process owns it.
 */
final class WebSocketFrames {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** One frame from the client, unmasked. */
    record Frame(boolean fin, int opcode, byte[] payload) {
    }

    /** A frame that breaks the protocol; the connection closes with {@code code}. */
    static final class Violation extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Violation(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private final long maxPayload;
    private byte[] buffer = new byte[0];
    private int start;

    WebSocketFrames(long maxPayload) {
        this.maxPayload = maxPayload;
    }

    /** Bytes read and not yet taken as frames. */
    int buffered() {
        return buffer.length - start;
    }

    void append(byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        byte[] joined = new byte[buffer.length - start + bytes.length];
        System.arraycopy(buffer, start, joined, 0, buffer.length - start);
        System.arraycopy(bytes, 0, joined, buffer.length - start, bytes.length);
        buffer = joined;
        start = 0;
    }

    /** The next whole frame, or null if more bytes are needed. */
    Frame next() throws Violation {
        int available = buffer.length - start;
        if (available < 2) {
            return null;
        }
        int b0 = buffer[start] & 0xff;
        int b1 = buffer[start + 1] & 0xff;
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0f;
        if ((b0 & 0x70) != 0) {
            throw new Violation(1002, "reserved bits set without an extension");
        }
        if ((b1 & 0x80) == 0) {
            throw new Violation(1002, "a client's frame must be masked");
        }
        long length = b1 & 0x7f;
        int header = 2;
        if (length == 126) {
            if (available < 4) {
                return null;
            }
            length = ((buffer[start + 2] & 0xff) << 8) | (buffer[start + 3] & 0xff);
            header = 4;
        } else if (length == 127) {
            if (available < 10) {
                return null;
            }
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (buffer[start + i] & 0xff);
            }
            header = 10;
        }
        if (opcode >= CLOSE) {
            if (!fin || length > 125) {
                throw new Violation(1002, "a control frame must be whole and at most 125 bytes");
            }
            if (opcode > PONG) {
                throw new Violation(1002, "unknown opcode " + opcode);
            }
        } else if (opcode > BINARY) {
            throw new Violation(1002, "unknown opcode " + opcode);
        }
        if (length < 0 || length > maxPayload) {
            throw new Violation(1009, "a frame of " + length + " bytes is over " + maxPayload);
        }
        if (available < header + 4 + length) {
            return null;
        }
        int maskAt = start + header;
        int dataAt = maskAt + 4;
        byte[] payload = Arrays.copyOfRange(buffer, dataAt, dataAt + (int) length);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= buffer[maskAt + (i & 3)];
        }
        start = dataAt + (int) length;
        if (start == buffer.length) {
            buffer = new byte[0];
            start = 0;
        }
        return new Frame(fin, opcode, payload);
    }

    /** A whole unmasked frame with {@code payload}. */
    static byte[] encode(int opcode, byte[] payload) {
        int length = payload.length;
        int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
        byte[] frame = new byte[header + length];
        frame[0] = (byte) (0x80 | opcode);
        if (length < 126) {
            frame[1] = (byte) length;
        } else if (length < 65536) {
            frame[1] = 126;
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = 127;
            long l = length;
            for (int i = 9; i >= 2; i--) {
                frame[i] = (byte) l;
                l >>>= 8;
            }
        }
        System.arraycopy(payload, 0, frame, header, length);
        return frame;
    }

    /** A close frame's payload: the code and a reason of at most 123 bytes. */
    static byte[] closePayload(int code, String reason) {
        byte[] text = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int n = Math.min(text.length, 123);
        byte[] payload = new byte[2 + n];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, n);
        return payload;
    }
}
