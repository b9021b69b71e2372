package io.ergon.net.internal;

import io.ergon.etf.EtfDecoder;
import io.ergon.etf.EtfException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads distribution frames and turns them into (control, payload) terms: pass-through frames (112), frames with a
 * distribution header (131, 68) and fragmented messages (131, 69 / 131, 70), reassembled per sequence id since
 * sequences from different senders interleave.
 *
 * <p>Anything malformed raises a {@link ProtocolException} naming the problem; the connection then closes. Atom
 * cache references are a protocol error: Ergon never offers the atom cache, so a peer must not use it.
 */
final class FrameReader {
    /** A decoded message: its control tuple and its payload (null if it has none). */
    record Message(Object control, Object payload) {
    }

    /** Thrown for a frame that breaks the protocol. */
    static final class ProtocolException extends IOException {
        ProtocolException(String message) {
            super(message);
        }
    }

    private final DataInputStream in;
    private final EtfDecoder decoder;
    private final int maxMessage;
    private final Map<Long, Reassembly> partial = new HashMap<>();
    private byte[] buf = new byte[8 * 1024];

    private static final class Reassembly {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long nextId;
    }

    FrameReader(DataInputStream in, EtfDecoder decoder, int maxMessage) {
        this.in = in;
        this.decoder = decoder;
        this.maxMessage = maxMessage;
    }

    /**
     * Reads frames until one completes a message; returns it, or {@code null} for a tick.
     *
     * @throws java.io.EOFException when the peer closed the connection
     */
    Message next() throws IOException {
        while (true) {
            int len = in.readInt();
            if (len == 0) {
                return null;
            }
            if (len < 0 || len > maxMessage) {
                throw new ProtocolException("a frame of " + Integer.toUnsignedString(len) + " bytes exceeds the limit of "
                        + maxMessage);
            }
            if (buf.length < len) {
                buf = new byte[Math.max(len, buf.length * 2)];
            }
            in.readFully(buf, 0, len);
            Message m = parse(buf, len);
            if (m != null) {
                return m;
            }
        }
    }

    private Message parse(byte[] b, int len) throws IOException {
        int tag = b[0] & 0xff;
        if (tag == 112) {
            return decode(b, 1, len, true);
        }
        if (tag != 131 || len < 3) {
            throw new ProtocolException("a frame starts with byte " + tag + ", which is no distribution frame");
        }
        switch (b[1] & 0xff) {
            case 68 -> {
                checkNoAtomCache(b[2] & 0xff);
                return decode(b, 3, len, false);
            }
            case 69 -> {
                if (len < 19) {
                    throw new ProtocolException("a first fragment of " + len + " bytes is too short");
                }
                long seq = readLong(b, 2);
                long id = readLong(b, 10);
                checkNoAtomCache(b[18] & 0xff);
                if (id == 1) {
                    return decode(b, 19, len, false);
                }
                if (id < 1 || partial.containsKey(seq)) {
                    throw new ProtocolException("a first fragment with id " + id + " for sequence " + seq
                            + (id < 1 ? "" : ", which is already open"));
                }
                Reassembly r = new Reassembly();
                r.bytes.write(b, 19, len - 19);
                r.nextId = id - 1;
                partial.put(seq, r);
                return null;
            }
            case 70 -> {
                if (len < 18) {
                    throw new ProtocolException("a fragment of " + len + " bytes is too short");
                }
                long seq = readLong(b, 2);
                long id = readLong(b, 10);
                Reassembly r = partial.get(seq);
                if (r == null || id != r.nextId) {
                    throw new ProtocolException("fragment " + id + " of sequence " + seq + " arrived out of turn");
                }
                if (r.bytes.size() + (len - 18) > maxMessage) {
                    throw new ProtocolException("a fragmented message exceeds the limit of " + maxMessage + " bytes");
                }
                r.bytes.write(b, 18, len - 18);
                if (id > 1) {
                    r.nextId = id - 1;
                    return null;
                }
                partial.remove(seq);
                byte[] whole = r.bytes.toByteArray();
                return decode(whole, 0, whole.length, false);
            }
            default -> throw new ProtocolException("unknown distribution header type " + (b[1] & 0xff));
        }
    }

    private static void checkNoAtomCache(int refs) throws ProtocolException {
        if (refs != 0) {
            throw new ProtocolException("the frame uses " + refs + " atom cache references, but the atom cache was "
                    + "not negotiated");
        }
    }

    private Message decode(byte[] b, int from, int to, boolean versioned) throws ProtocolException {
        try {
            EtfDecoder.Decoded ctrl = decoder.decode(b, from, to - from, versioned, null);
            Object payload = null;
            if (ctrl.end() < to) {
                EtfDecoder.Decoded p = decoder.decode(b, ctrl.end(), to - ctrl.end(), versioned, null);
                if (p.end() != to) {
                    throw new ProtocolException((to - p.end()) + " bytes follow the payload");
                }
                payload = p.term();
            }
            return new Message(ctrl.term(), payload);
        } catch (EtfException e) {
            throw new ProtocolException("undecodable term at frame offset " + (e.offset() - from) + ": " + e.reason());
        }
    }

    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }
}
