package io.ergon.net.internal;

import io.ergon.etf.EtfTags;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes distribution frames ({@code Len:32} then the frame) in one of the three forms a connection can use:
 * <ul>
 *   <li>pass-through, {@code 112, 131 Control, 131 Payload}, when the peer has neither fragments nor the atom
 *       cache (JInterface);</li>
 *   <li>a distribution header with no atom cache references, {@code 131, 68, 0, Control, Payload}, when the peer
 *       has fragments (OTP then expects headers: a pass-through frame on such a connection is dropped);</li>
 *   <li>fragments, {@code 131, 69, Seq:64, FragId:64, 0, Control, part} then {@code 131, 70, Seq:64, FragId:64,
 *       part}..., counting FragId down to 1, for messages larger than {@link #FRAGMENT_SIZE}.</li>
 * </ul>
 * Output goes through a buffer that the connection flushes when its queue runs dry, so frames are batched under
 * load and sent at once when idle.
 */
final class FrameWriter {
    /** OTP splits at 64 KiB ({@code ERTS_DIST_FRAGMENT_SIZE}). */
    static final int FRAGMENT_SIZE = 64 * 1024;
    private static final int BUFFER_SIZE = 64 * 1024;
    /** A tag byte: {@link EtfTags#PASS_THROUGH} or a term's {@link EtfTags#VERSION}. */
    private static final int TAG = 1;
    /** The length of a tick frame: a length prefix and nothing else. */
    private static final int TICK_LENGTH = 0;
    /** Ergon never offers the atom cache, so every header says it uses none. */
    private static final int NO_ATOM_CACHE_REFS = 0;

    private final OutputStream out;
    private final boolean headers;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int n;
    private long sequence;

    /**
     * @param headers use distribution headers and fragments (the peer has {@code DFLAG_FRAGMENTS}); else
     *     pass-through frames
     */
    FrameWriter(OutputStream out, boolean headers) {
        this.out = out;
        this.headers = headers;
    }

    void write(OutFrame f) throws IOException {
        if (f == OutFrame.TICK) {
            putInt(TICK_LENGTH);
            return;
        }
        byte[] d = f.data();
        int ctrl = f.controlLength();
        int payload = d.length - ctrl;
        if (!headers) {
            putInt(TAG + TAG + ctrl + (payload > 0 ? TAG + payload : 0));
            put(EtfTags.PASS_THROUGH);
            put(EtfTags.VERSION);
            put(d, 0, ctrl);
            if (payload > 0) {
                put(EtfTags.VERSION);
                put(d, ctrl, payload);
            }
        } else if (d.length <= FRAGMENT_SIZE) {
            putInt(FrameReader.HEADER_LENGTH + d.length);
            put(EtfTags.VERSION);
            put(EtfTags.DIST_HEADER);
            put(NO_ATOM_CACHE_REFS);
            put(d, 0, d.length);
        } else {
            writeFragments(d, ctrl);
        }
    }

    private void writeFragments(byte[] d, int ctrl) throws IOException {
        long seq = ++sequence;
        // the control term travels whole in the first fragment; the payload is cut in FRAGMENT_SIZE parts
        int payload = d.length - ctrl;
        int firstPart = Math.min(payload, Math.max(0, FRAGMENT_SIZE - ctrl));
        int rest = payload - firstPart;
        long fragments = 1 + (rest + FRAGMENT_SIZE - 1) / FRAGMENT_SIZE;
        long id = fragments;
        putInt(FrameReader.FIRST_FRAGMENT_HEADER_LENGTH + ctrl + firstPart);
        put(EtfTags.VERSION);
        put(EtfTags.DIST_FRAG_HEADER);
        putLong(seq);
        putLong(id--);
        put(NO_ATOM_CACHE_REFS);
        put(d, 0, ctrl + firstPart);
        int at = ctrl + firstPart;
        while (at < d.length) {
            int part = Math.min(FRAGMENT_SIZE, d.length - at);
            putInt(FrameReader.FRAGMENT_HEADER_LENGTH + part);
            put(EtfTags.VERSION);
            put(EtfTags.DIST_FRAG_CONT);
            putLong(seq);
            putLong(id--);
            put(d, at, part);
            at += part;
        }
    }

    void flush() throws IOException {
        if (n > 0) {
            out.write(buf, 0, n);
            n = 0;
        }
        out.flush();
    }

    private void put(int b) throws IOException {
        if (n == buf.length) {
            drain();
        }
        buf[n++] = (byte) b;
    }

    private void putInt(int v) throws IOException {
        if (buf.length - n < 4) {
            drain();
        }
        buf[n++] = (byte) (v >>> 24);
        buf[n++] = (byte) (v >>> 16);
        buf[n++] = (byte) (v >>> 8);
        buf[n++] = (byte) v;
    }

    private void putLong(long v) throws IOException {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    private void put(byte[] src, int off, int len) throws IOException {
        if (len > buf.length - n) {
            drain();
            if (len >= buf.length) {
                out.write(src, off, len);
                return;
            }
        }
        System.arraycopy(src, off, buf, n, len);
        n += len;
    }

    private void drain() throws IOException {
        out.write(buf, 0, n);
        n = 0;
    }
}
