package io.ergon.io;

/**
 * How a byte stream is cut into messages, Erlang's {@code packet} option: {@link #raw()} (whatever arrived,
 * {@code {packet, raw}}), {@link #line()} (one line per message, its newline included, {@code {packet, line}}), or
 * {@link #length(int)} (a big-endian unsigned length of 1, 2 or 4 bytes before each packet, {@code {packet, N}}).
 *
 * <p>Sending frames the same way: a length-prefixed packet gets its header (a packet too long for it fails with
 * {@link IoError#EMSGSIZE}); raw data and lines are sent as they are.
 */
public sealed interface Packet {
    /** {@code {packet, raw}}. */
    static Packet raw() {
        return Raw.INSTANCE;
    }

    /** {@code {packet, line}} with {@code \n} as the delimiter. */
    static Packet line() {
        return new Line((byte) '\n');
    }

    /** {@code {packet, N}} with N = 1, 2 or 4. */
    static Packet length(int headerBytes) {
        return new Length(headerBytes);
    }

    /** {@code data} as it goes on the wire: with its length header for {@link Length}, unchanged otherwise. */
    byte[] frame(byte[] data);

    /** {@code {packet, raw}}: each message is what one read found. */
    enum Raw implements Packet {
        INSTANCE;

        @Override
        public byte[] frame(byte[] data) {
            return data;
        }
    }

    /**
     * {@code {packet, line}}: each message is one line, its delimiter included; a line longer than the size limit
     * arrives in pieces of the limit, as Erlang delivers lines longer than its buffer.
     */
    record Line(byte delimiter) implements Packet {
        @Override
        public byte[] frame(byte[] data) {
            return data;
        }
    }

    /** {@code {packet, N}}: a big-endian unsigned length of {@code headerBytes} (1, 2 or 4) before each packet. */
    record Length(int headerBytes) implements Packet {
        public Length {
            if (headerBytes != 1 && headerBytes != 2 && headerBytes != 4) {
                throw new IllegalArgumentException("a length header has 1, 2 or 4 bytes: " + headerBytes);
            }
        }

        @Override
        public byte[] frame(byte[] data) {
            if (headerBytes < 4 && data.length >= 1 << (8 * headerBytes)) {
                throw new IoError(IoError.EMSGSIZE, data.length + " bytes do not fit a " + headerBytes
                        + "-byte length header");
            }
            byte[] framed = new byte[headerBytes + data.length];
            int length = data.length;
            for (int i = headerBytes - 1; i >= 0; i--) {
                framed[i] = (byte) length;
                length >>>= 8;
            }
            System.arraycopy(data, 0, framed, headerBytes, data.length);
            return framed;
        }
    }
}
