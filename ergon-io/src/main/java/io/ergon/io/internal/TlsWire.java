package io.ergon.io.internal;

import io.ergon.api.InternalApi;
import io.ergon.node.TlsOptions;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS over a non-blocking channel with the JDK's {@link SSLEngine}: the handshake advanced step by step as the
 * channel allows ({@link #handshake}), records unwrapped as the owner reads and wrapped as it writes, and
 * {@code close_notify} on close. It holds at most one record read from the channel and not yet decrypted, and one
 * record's plaintext not yet read ({@link #buffered}); it reads the channel only when those are used up, so that a
 * passive owner leaves the bytes in the kernel as with plain TCP. The handshake's delegated tasks (certificate
 * checks, signatures, key exchange: most of its CPU time) are left to {@link #work}, for a thread other than the
 * poller's; a task that a record asks for after the handshake runs on the reading thread.
 *
 * <p>An idle wire holds no buffer: its buffers (some 16 KiB each, the most a record takes) are there only while they
 * hold bytes. A platform thread (a poller) keeps a spare pair for the reads it makes, so that a socket read on a
 * poller whose records all decrypt and go out at once costs no allocation; a virtual thread's read allocates them.
 *
 * <p>Reads (and the handshake) are made under the owner's read lock, writes under its write lock; the engine
 * allows a wrap and an unwrap at once. A record read that asks for one written (a TLS 1.3 key update) is answered
 * by {@code wrapLater}, which must write from another thread.
 */
@InternalApi
public final class TlsWire implements Wire {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** What a wire has for a buffer it does not hold: nothing to read, no room to write. */
    private static final ByteBuffer NONE = ByteBuffer.allocate(0).asReadOnlyBuffer();
    private static final int NET_IN = 0;
    private static final int APP_IN = 1;
    /** A platform thread's spare read buffers (netIn's and appIn's), lent to a wire while it holds bytes. */
    private static final ThreadLocal<ByteBuffer[]> SPARE = ThreadLocal.withInitial(() -> new ByteBuffer[2]);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final Runnable wrapLater;
    /** Bytes read from the channel, not yet unwrapped (write mode). */
    private ByteBuffer netIn;
    /** Plaintext unwrapped, not yet read (write mode). */
    private ByteBuffer appIn;
    /** Records wrapped, not yet written to the channel (read mode). */
    private ByteBuffer netOut;
    private boolean inboundDone;

    private TlsWire(SocketChannel channel, SSLEngine engine, Runnable wrapLater) throws SSLException {
        this.channel = channel;
        this.engine = engine;
        this.wrapLater = wrapLater;
        this.netIn = NONE;
        this.appIn = NONE;
        this.netOut = NONE;
        engine.beginHandshake();
    }

    /**
     * The accepting side, with what {@code options} say for it as for the distribution
     * ({@link TlsOptions#applyTo}): it demands the client's certificate and verifies it if they verify peers.
     */
    public static TlsWire server(SocketChannel channel, SSLContext context, TlsOptions options, Runnable wrapLater)
            throws SSLException {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(options.applyTo(engine.getSSLParameters(), null));
        return new TlsWire(channel, engine, wrapLater);
    }

    /**
     * The connecting side, to {@code host}, with what {@code options} say for it as for the distribution
     * ({@link TlsOptions#applyTo}): it verifies the server's certificate if they verify peers, and that the
     * certificate names {@code host} if they check host names.
     */
    public static TlsWire client(SocketChannel channel, SSLContext context, TlsOptions options, String host,
                                 int port, Runnable wrapLater) throws SSLException {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(options.applyTo(engine.getSSLParameters(), host));
        return new TlsWire(channel, engine, wrapLater);
    }

    @Override
    public boolean needsHandshake() {
        return true;
    }

    @Override
    public Handshake handshake() throws IOException {
        try {
            return handshakeStep();
        } catch (SSLException e) {
            closing(); // the alert that says why, if the channel takes it
            throw e;
        }
    }

    /**
     * The handshake's messages of one flight are wrapped into one buffer and written together when the flight ends
     * (the engine waits for the peer's), not one write each: with Nagle's algorithm on, a second small write waits
     * for the peer's delayed acknowledgement of the first.
     */
    private Handshake handshakeStep() throws IOException {
        for (;;) {
            switch (engine.getHandshakeStatus()) {
                case NOT_HANDSHAKING, FINISHED -> {
                    if (!flush()) {
                        return Handshake.NEEDS_WRITE;
                    }
                    releaseEmpty();
                    netOut = NONE; // no writer yet: they wait for the handshake
                    return Handshake.DONE;
                }
                case NEED_TASK -> {
                    if (!flush()) {
                        return Handshake.NEEDS_WRITE;
                    }
                    return Handshake.NEEDS_WORK;
                }
                case NEED_WRAP -> {
                    if (!wrap(EMPTY) && !flush()) {
                        return Handshake.NEEDS_WRITE;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!flush()) {
                        return Handshake.NEEDS_WRITE;
                    }
                    SSLEngineResult r = unwrap();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        int n = channel.read(netIn);
                        if (n < 0) {
                            throw new EOFException("the peer closed the connection during the TLS handshake");
                        }
                        if (n == 0) {
                            return Handshake.NEEDS_READ;
                        }
                    } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new EOFException("the peer closed TLS during the handshake");
                    }
                }
            }
        }
    }

    @Override
    public int read(ByteBuffer dst, boolean fromChannel) throws IOException {
        try {
            return readRecords(dst, fromChannel);
        } finally {
            releaseEmpty();
        }
    }

    private int readRecords(ByteBuffer dst, boolean fromChannel) throws IOException {
        for (;;) {
            if (appIn.position() > 0) {
                appIn.flip();
                int n = Math.min(dst.remaining(), appIn.remaining());
                dst.put(dst.position(), appIn, appIn.position(), n);
                dst.position(dst.position() + n);
                appIn.position(appIn.position() + n);
                appIn.compact();
                return n;
            }
            if (inboundDone) {
                return -1;
            }
            SSLEngineResult r = unwrap();
            switch (r.getStatus()) {
                case CLOSED -> inboundDone = true; // the peer's close_notify
                case BUFFER_UNDERFLOW -> {
                    if (!fromChannel) {
                        return 0;
                    }
                    int n = channel.read(netIn);
                    if (n < 0) {
                        inboundDone = true; // closed without close_notify: the end all the same, as Erlang's ssl
                    } else if (n == 0) {
                        return 0;
                    }
                }
                default -> {
                    afterRecord(r.getHandshakeStatus());
                    if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                        return 0; // the engine waits to write first (a renegotiation): the peer answers after it
                    }
                }
            }
        }
    }

    /** A record may ask for work: a task to run, or a record to send back (a key update). */
    private void afterRecord(HandshakeStatus status) {
        if (status == HandshakeStatus.NEED_TASK) {
            runTasks();
        }
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            wrapLater.run();
        }
    }

    @Override
    public boolean readable() {
        if (appIn.position() > 0) {
            return true;
        }
        // a whole record waits in netIn: its header (type, version, length) and its body
        return netIn.position() >= 5 && netIn.position() >= 5 + ((netIn.get(3) & 0xff) << 8 | (netIn.get(4) & 0xff));
    }

    @Override
    public boolean write(ByteBuffer src) throws IOException {
        for (;;) {
            if (!src.hasRemaining() && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                if (!flush()) {
                    return false;
                }
                netOut = NONE;
                return true;
            }
            if (!wrap(src) && !flush()) {
                return false;
            }
        }
    }

    @Override
    public int buffered() {
        return netIn.position() + appIn.position();
    }

    @Override
    public void closing() {
        try {
            engine.closeOutbound();
            if (!wrap(EMPTY) && flush()) {
                wrap(EMPTY);
            }
            flush();
        } catch (IOException | RuntimeException e) {
            // the channel is closing anyway; the close_notify was a courtesy
        }
    }

    /**
     * Wraps what fits of {@code src} into one record (or a handshake message) after what netOut holds already.
     *
     * @return false if there was no room: flush netOut first (an empty netOut grows instead)
     */
    private boolean wrap(ByteBuffer src) throws IOException {
        SSLEngineResult r;
        if (netOut.capacity() == 0) {
            netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize()).flip();
        }
        for (;;) {
            netOut.compact();
            try {
                r = engine.wrap(src, netOut);
            } finally {
                netOut.flip();
            }
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                break;
            }
            if (netOut.hasRemaining()) {
                return false;
            }
            netOut = ByteBuffer.allocate(netOut.capacity() + engine.getSession().getPacketBufferSize()).flip();
        }
        if (r.getStatus() == SSLEngineResult.Status.CLOSED && r.bytesProduced() == 0) {
            throw new SSLException("TLS is closed");
        }
        if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            runTasks();
        }
        return true;
    }

    /** Unwraps one record of netIn into appIn, growing either if the engine needs room. */
    private SSLEngineResult unwrap() throws IOException {
        if (netIn.capacity() == 0) {
            netIn = take(NET_IN, engine.getSession().getPacketBufferSize());
        }
        if (appIn.capacity() == 0) {
            appIn = take(APP_IN, engine.getSession().getApplicationBufferSize());
        }
        for (;;) {
            netIn.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
            }
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                case BUFFER_UNDERFLOW -> {
                    if (netIn.remaining() == 0) {
                        netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                    }
                    return r;
                }
                default -> {
                    return r;
                }
            }
        }
    }

    /** A buffer of at least {@code size} for netIn or appIn: the thread's spare if it has one, else a new one. */
    private static ByteBuffer take(int slot, int size) {
        if (!Thread.currentThread().isVirtual()) {
            ByteBuffer[] spare = SPARE.get();
            ByteBuffer b = spare[slot];
            if (b != null && b.capacity() >= size) {
                spare[slot] = null;
                return b.clear();
            }
        }
        return ByteBuffer.allocate(size);
    }

    /** Lets go of the read buffers that hold nothing: to the thread's spares if it keeps them and has none. */
    private void releaseEmpty() {
        if (netIn.capacity() > 0 && netIn.position() == 0) {
            giveBack(NET_IN, netIn);
            netIn = NONE;
        }
        if (appIn.capacity() > 0 && appIn.position() == 0) {
            giveBack(APP_IN, appIn);
            appIn = NONE;
        }
    }

    private static void giveBack(int slot, ByteBuffer b) {
        if (!Thread.currentThread().isVirtual()) {
            ByteBuffer[] spare = SPARE.get();
            if (spare[slot] == null) {
                spare[slot] = b;
            }
        }
    }

    private static ByteBuffer grow(ByteBuffer b, int room) {
        ByteBuffer bigger = ByteBuffer.allocate(b.position() + room);
        b.flip();
        return bigger.put(b);
    }

    /** Writes netOut to the channel: true once it is all out. */
    private boolean flush() throws IOException {
        return Wire.writeWhatFits(channel, netOut);
    }

    @Override
    public void work() {
        runTasks();
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
