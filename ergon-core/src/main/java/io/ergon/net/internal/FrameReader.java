package io.ergon.net.internal;

import io.ergon.etf.EtfDecoder;
import io.ergon.etf.EtfException;
import io.ergon.etf.EtfTags;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads distribution frames and turns them into (control, payload) terms: pass-through frames
 * ({@link EtfTags#PASS_THROUGH}), frames with a distribution header ({@link EtfTags#DIST_HEADER}) and fragmented
 * messages ({@link EtfTags#DIST_FRAG_HEADER}, {@link EtfTags#DIST_FRAG_CONT}), reassembled per sequence id since
 * sequences from different senders interleave.
 *
 * <p>Anything malformed raises a {@link ProtocolException} naming the problem; the connection then closes. Atom
 * cache references are a protocol error: Ergon never offers the atom cache, so a peer must not use it.
 */
final class FrameReader {
    /** {@code 131, 68, NumberOfAtomCacheRefs:8}: what precedes the control term in a frame with a header. */
    static final int HEADER_LENGTH = 3;
    /** {@code 131, 70, SequenceId:64, FragmentId:64}: what precedes a later fragment's part. */
    static final int FRAGMENT_HEADER_LENGTH = 2 + 8 + 8;
    /** {@code 131, 69, SequenceId:64, FragmentId:64, NumberOfAtomCacheRefs:8}: a first fragment's header. */
    static final int FIRST_FRAGMENT_HEADER_LENGTH = FRAGMENT_HEADER_LENGTH + 1;
    /** Where the header type ({@link EtfTags#DIST_HEADER}, ...) sits, after the {@link EtfTags#VERSION} byte. */
    private static final int HEADER_TYPE_AT = 1;
    /** Where a header's atom cache reference count sits. */
    private static final int ATOM_CACHE_REFS_AT = 2;
    private static final int SEQUENCE_ID_AT = 2;
    private static final int FRAGMENT_ID_AT = SEQUENCE_ID_AT + 8;

    /**
     * A decoded message: its control tuple, its payload (null if it has none), and how many encoded bytes the two
     * took on the wire (what holding the message is charged, see {@link InboundBacklog}).
     */
    record Message(Object control, Object payload, int bytes) {
        Message(Object control, Object payload) {
            this(control, payload, 0);
        }
    }

    /** Thrown for a frame that breaks the protocol. */
    static final class ProtocolException extends IOException {
        ProtocolException(String message) {
            super(message);
        }
    }

    /**
     * Fragmented messages a connection may have open at once. OTP's senders interleave one sequence per sending
     * process, so a few are normal; a peer that opens first fragments and never finishes them (issue 19's fragment
     * flood) is cut off here, and by {@link #maxMessage} bytes over all its open sequences.
     */
    static final int MAX_OPEN_SEQUENCES = 256;
    private static final int INITIAL_BUFFER = 8 * 1024;

    private final DataInputStream in;
    private final EtfDecoder decoder;
    private final int maxMessage;
    private final Map<Long, Reassembly> partial = new HashMap<>();
    /** Bytes held by the open sequences in {@link #partial}. */
    private long partialBytes;
    private byte[] buf = new byte[INITIAL_BUFFER];

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
            if (len == 0) { // a tick
                return null;
            }
            if (len < 0 || len > maxMessage) {
                throw new ProtocolException("a frame of " + Integer.toUnsignedString(len) + " bytes exceeds the limit of "
                        + maxMessage);
            }
            readFrame(len);
            Message m = parse(buf, len);
            if (m != null) {
                return m;
            }
        }
    }

    /**
     * Reads a frame of {@code len} bytes into {@link #buf}, growing it as the bytes come, never ahead of them: a peer
     * that announces a frame of the largest size and then sends nothing costs what it sent (20 such connections
     * took 64 MiB each before, issue 19).
     */
    private void readFrame(int len) throws IOException {
        int got = 0;
        while (got < len) {
            if (got == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(len, (long) buf.length * 2));
            }
            int n = in.read(buf, got, Math.min(len, buf.length) - got);
            if (n < 0) {
                throw new EOFException("the connection ended inside a frame of " + len + " bytes");
            }
            got += n;
        }
    }

    /** The capacity of the frame buffer now (for tests). */
    int bufferCapacity() {
        return buf.length;
    }

    private Message parse(byte[] b, int len) throws IOException {
        int tag = b[0] & 0xff;
        if (tag == EtfTags.PASS_THROUGH) {
            return decode(b, 1, len, true);
        }
        if (tag != EtfTags.VERSION || len < HEADER_LENGTH) {
            throw new ProtocolException("a frame starts with byte " + tag + ", which is no distribution frame");
        }
        switch (b[HEADER_TYPE_AT] & 0xff) {
            case EtfTags.DIST_HEADER -> {
                checkNoAtomCache(b[ATOM_CACHE_REFS_AT] & 0xff);
                return decode(b, HEADER_LENGTH, len, false);
            }
            case EtfTags.DIST_FRAG_HEADER -> {
                if (len < FIRST_FRAGMENT_HEADER_LENGTH) {
                    throw new ProtocolException("a first fragment of " + len + " bytes is too short");
                }
                long seq = readLong(b, SEQUENCE_ID_AT);
                long id = readLong(b, FRAGMENT_ID_AT);
                checkNoAtomCache(b[FRAGMENT_HEADER_LENGTH] & 0xff);
                if (id == 1) {
                    return decode(b, FIRST_FRAGMENT_HEADER_LENGTH, len, false);
                }
                if (id < 1 || partial.containsKey(seq)) {
                    throw new ProtocolException("a first fragment with id " + id + " for sequence " + seq
                            + (id < 1 ? "" : ", which is already open"));
                }
                if (partial.size() >= MAX_OPEN_SEQUENCES) {
                    throw new ProtocolException("more than " + MAX_OPEN_SEQUENCES
                            + " fragmented messages open at once");
                }
                Reassembly r = new Reassembly();
                holdPartial(len - FIRST_FRAGMENT_HEADER_LENGTH);
                r.bytes.write(b, FIRST_FRAGMENT_HEADER_LENGTH, len - FIRST_FRAGMENT_HEADER_LENGTH);
                r.nextId = id - 1;
                partial.put(seq, r);
                return null;
            }
            case EtfTags.DIST_FRAG_CONT -> {
                if (len < FRAGMENT_HEADER_LENGTH) {
                    throw new ProtocolException("a fragment of " + len + " bytes is too short");
                }
                long seq = readLong(b, SEQUENCE_ID_AT);
                long id = readLong(b, FRAGMENT_ID_AT);
                Reassembly r = partial.get(seq);
                if (r == null || id != r.nextId) {
                    throw new ProtocolException("fragment " + id + " of sequence " + seq + " arrived out of turn");
                }
                if (r.bytes.size() + (len - FRAGMENT_HEADER_LENGTH) > maxMessage) {
                    throw new ProtocolException("a fragmented message exceeds the limit of " + maxMessage + " bytes");
                }
                holdPartial(len - FRAGMENT_HEADER_LENGTH);
                r.bytes.write(b, FRAGMENT_HEADER_LENGTH, len - FRAGMENT_HEADER_LENGTH);
                if (id > 1) {
                    r.nextId = id - 1;
                    return null;
                }
                partial.remove(seq);
                partialBytes -= r.bytes.size();
                byte[] whole = r.bytes.toByteArray();
                return decode(whole, 0, whole.length, false);
            }
            default -> throw new ProtocolException("unknown distribution header type " + (b[HEADER_TYPE_AT] & 0xff));
        }
    }

    /** Counts {@code n} more bytes held by open sequences; all of them together may not pass the message limit. */
    private void holdPartial(int n) throws ProtocolException {
        if (partialBytes + n > maxMessage) {
            throw new ProtocolException("the open fragmented messages hold more than the limit of " + maxMessage
                    + " bytes");
        }
        partialBytes += n;
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
            return new Message(ctrl.term(), payload, to - from);
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
