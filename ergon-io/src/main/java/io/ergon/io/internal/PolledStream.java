package io.ergon.io.internal;

import io.ergon.api.InternalApi;
import io.ergon.io.IoError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A socket read for its owner as far as the owner's {@link Demand} allows, with no thread of its own: a non-blocking
 * channel that a {@link Poller} watches. Bytes are read when there is demand, by whoever finds them there: the owner's
 * thread when it turns the socket active (what arrived meanwhile goes out at once), or the poller's thread when they
 * arrive. While the owner is passive nothing is read, so the bytes the socket holds are at most one turn's read and
 * one unfinished packet, and the peer is held back by TCP's window. Events go out under the demand's lock, in stream
 * order, as {@link StreamReader}'s do. Writes ({@link #write}) and the passive {@link #recv} block their caller
 * (parked, not pinned, on a virtual thread) until the poller sees room or bytes. Thread-safe.
 *
 * <p>The bytes go through a {@link Wire}: the channel's own, or TLS over them. A wire with a handshake has it driven
 * by the poller from the start, whatever the demand, and must finish it by its deadline; the owner gets nothing,
 * and writes and {@link #recv} wait, until it has; if it fails, the owner gets the failure and the end.
 */
@InternalApi
public final class PolledStream implements Poller.Readiness {
    /** The most one turn reads before it leaves the rest to the poller's next round (fairness among sockets). */
    private static final int MAX_TURN = 64 * 1024;
    /** The most one read takes. */
    private static final int MAX_READ = 16 * 1024;
    /** A platform thread's read buffer (the pollers', mostly: there are few of them). */
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(MAX_READ));
    /** A first read on a virtual thread. */
    private static final int FIRST_READ = 256;

    private final Wire wire;
    private final Demand demand;
    private final Deliveries deliveries;
    /** Guards the decoder, the end of stream, the read interest and the receiver. */
    private final ReentrantLock readLock = new ReentrantLock();
    /** One passive receiver at a time. */
    private final ReentrantLock recvLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Poller.Registration registration;
    private boolean started;
    private boolean endOfStream;
    private Thread receiver;
    private volatile Thread writer;
    private volatile boolean stopped;
    /** Whether the wire's handshake is under way (changed under the read lock). */
    private volatile boolean handshaking;
    /** Why the handshake failed, or null (under the read lock). */
    private IoError handshakeFailure;
    /** What writers and a passive reader wait for: at once for a wire without a handshake. */
    private final HandshakeOutcome handshake;

    /**
     * A stream over {@code channel} (made non-blocking here) through {@code wire}, that cuts packets with
     * {@code decoder}; the wire's handshake, if it has one, starts at once and fails if it has not finished within
     * {@code handshakeTimeout}.
     */
    public PolledStream(SocketChannel channel, Wire wire, Duration handshakeTimeout, PacketDecoder decoder,
                        Demand demand, StreamReader.Events events) throws IOException {
        this.wire = wire;
        this.demand = demand;
        this.deliveries = new Deliveries(decoder, demand, events, false);
        channel.configureBlocking(false);
        this.registration = Poller.register(channel, this);
        if (!wire.needsHandshake()) {
            handshake = HandshakeOutcome.none();
        } else {
            handshaking = true;
            handshake = HandshakeOutcome.pending(handshakeTimeout, () -> handshakeFailed(new IoError(IoError.TIMEOUT,
                    "the TLS handshake did not finish within " + handshakeTimeout)));
            registration.armWrite(); // the poller drives the handshake from here: its first step on the writable
        }
    }

    /** Starts reading for the owner (it has one now): delivers what the demand allows. */
    public void start() {
        readLock.lock();
        try {
            started = true;
            if (handshakeFailure != null) {
                deliveries.fail(handshakeFailure.reason());
            }
        } finally {
            readLock.unlock();
        }
        pump();
    }

    /** The bytes read and not delivered yet. */
    public int buffered() {
        return deliveries.buffered() + wire.buffered();
    }

    /**
     * Delivers what the demand allows now: packets already cut, then what the channel holds; when it needs bytes
     * that are not there yet, it leaves the read to the poller. Call it after the demand turned active.
     */
    public void pump() {
        readLock.lock();
        try {
            if (started && !handshaking && !deliveries.ended()) {
                deliverWhileActive(false);
            }
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public void readable() {
        readLock.lock();
        try {
            if (handshaking) {
                advanceHandshake();
            } else if (receiver != null) {
                registration.disarmRead();
                LockSupport.unpark(receiver);
            } else if (!started || deliveries.ended() || !demand.isActiveNow()) {
                // bytes came while the owner is passive (or before it has one): left in the kernel until it asks
                registration.disarmRead();
            } else {
                // the read watch stays armed: a socket in use costs no wake-up of the poller per message
                deliverWhileActive(true);
            }
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Under the read lock: delivers packets, reading when it needs bytes, until the demand or the bytes run out or
     * one turn's worth is read. Off the poller it reads only if the poller does not watch already, and when it
     * stops short of the bytes it needs it has the poller watch.
     */
    private void deliverWhileActive(boolean onPoller) {
        try {
            int read = 0;
            for (;;) {
                switch (deliveries.next(endOfStream)) {
                    case DELIVERED -> { }
                    case NOT_ACTIVE, ENDED -> {
                        return;
                    }
                    case NEED_BYTES -> {
                        if (!onPoller && registration.readArmed() && !wire.readable()) {
                            return; // the poller watches: it reads when the bytes come
                        }
                        // past one turn's worth, only what the wire holds already (the kernel's wait for the poller)
                        boolean fromChannel = read < MAX_TURN;
                        int n = Thread.currentThread().isVirtual() ? fillOnVirtualThread(fromChannel)
                                : fill(SCRATCH.get(), fromChannel);
                        if (n == 0) {
                            registration.armRead(); // the poller reads on when more comes (a no-op on it)
                            return;
                        }
                        read += Math.max(n, 0);
                    }
                }
            }
        } catch (IOException e) {
            if (!stopped) {
                deliveries.fail(TlsAlerts.reasonOf(e));
            }
        } catch (IoError e) {
            deliveries.fail(e.reason());
        }
    }

    /** Under the read lock: the handshake as far as it goes now, then the poller watches for what it waits for. */
    private void advanceHandshake() {
        try {
            switch (wire.handshake()) {
                case NEEDS_READ -> {
                    registration.disarmWrite();
                    registration.armRead();
                }
                case NEEDS_WRITE -> registration.armWrite();
                case NEEDS_WORK -> {
                    // the handshake's computations off the poller, which goes on with other sockets meanwhile
                    registration.disarmRead();
                    registration.disarmWrite();
                    Thread.ofVirtual().name("ergon-io-handshake-work").start(this::workThenAdvance);
                }
                case DONE -> {
                    handshaking = false;
                    registration.disarmWrite();
                    handshake.succeed();
                    if (started && !deliveries.ended()) {
                        deliverWhileActive(false); // what came after the handshake may be in the wire already
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            handshakeFailed(TlsAlerts.error(e));
        }
    }

    /** Runs the handshake's computations, then takes it on from where they leave it. */
    private void workThenAdvance() {
        try {
            wire.work();
        } catch (RuntimeException e) {
            handshakeFailed(TlsAlerts.error(e));
            return;
        }
        readLock.lock();
        try {
            if (handshaking) {
                advanceHandshake();
            }
        } finally {
            readLock.unlock();
        }
    }

    /** Ends an unfinished handshake with {@code failure}: waiting writers and readers get it, and so does the owner. */
    private void handshakeFailed(IoError failure) {
        readLock.lock();
        try {
            if (!handshaking) {
                return;
            }
            handshaking = false;
            handshakeFailure = failure;
            registration.disarmRead();
            registration.disarmWrite();
            handshake.fail(failure);
            if (started && !stopped) {
                deliveries.fail(failure.reason());
            }
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Waits for the handshake, as the side that connects does before it hands the socket over.
     *
     * @param timeout null: the handshake's own deadline
     * @throws IoError why it failed: a {@code {tls_alert, {Description, Text}}} reason for a refusal,
     *     {@code timeout}, or another reason for the connection's failure
     */
    public void completeHandshake(Duration timeout) {
        handshake.await(timeout);
    }

    @Override
    public void writable() {
        if (handshaking) {
            readLock.lock();
            try {
                if (handshaking) {
                    advanceHandshake();
                    return;
                }
            } finally {
                readLock.unlock();
            }
        }
        registration.disarmWrite();
        Thread w = writer;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * {@link #fill} on a virtual thread (an owner's worker, an acceptor: there may be many, so none keeps a buffer):
     * a small read, as most such reads find one message or nothing, and a large one after it if it came back full.
     */
    private int fillOnVirtualThread(boolean fromChannel) throws IOException {
        int n = fill(ByteBuffer.allocate(FIRST_READ), fromChannel);
        if (n == FIRST_READ) {
            int more = fill(ByteBuffer.allocate(MAX_READ), fromChannel);
            return more < 0 ? n : n + more;
        }
        return n;
    }

    /**
     * Reads what the wire has into {@code scratch}, without blocking: the count, 0 if nothing, -1 at its end;
     * {@code fromChannel} false takes only what the wire holds already.
     */
    private int fill(ByteBuffer scratch, boolean fromChannel) throws IOException {
        scratch.clear();
        int n = wire.read(scratch, fromChannel);
        if (n < 0) {
            endOfStream = true;
            return -1;
        }
        if (n > 0) {
            deliveries.append(scratch.array(), 0, n);
        }
        return n;
    }

    /**
     * Reads the next packet as the owner, while passive ({@code gen_tcp:recv/3}); {@code length} &gt; 0 asks for
     * exactly that many bytes of a raw stream.
     *
     * @param timeout how long to wait; null waits without limit
     * @throws IoError {@code einval} while active, {@code timeout}, {@code closed} at the end of the stream, or the
     *     read's failure
     */
    public byte[] recv(int length, Duration timeout) {
        if (!demand.isPassive()) {
            throw new IoError(IoError.EINVAL, "recv on an active socket");
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        handshake.await(timeout);
        try {
            if (timeout == null) {
                recvLock.lockInterruptibly();
            } else if (!recvLock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IoError(IoError.TIMEOUT, "no data within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IoError(IoError.TIMEOUT, "interrupted");
        }
        try {
            for (;;) {
                readLock.lock();
                try {
                    receiver = null;
                    byte[] packet = deliveries.take(length);
                    if (packet != null) {
                        return packet;
                    }
                    if (endOfStream || deliveries.ended() || stopped) {
                        throw new IoError(IoError.CLOSED, "the stream is closed");
                    }
                    if (fill(ByteBuffer.allocate(MAX_READ), true) != 0) {
                        continue;
                    }
                    receiver = Thread.currentThread();
                    registration.armRead();
                } catch (IOException e) {
                    Object reason = stopped ? IoError.CLOSED : TlsAlerts.reasonOf(e);
                    throw new IoError(reason, String.valueOf(e.getMessage()), e);
                } finally {
                    readLock.unlock();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IoError(IoError.TIMEOUT, "no data within " + timeout);
                }
                if (timeout == null) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, left);
                }
            }
        } finally {
            readLock.lock();
            receiver = null;
            readLock.unlock();
            recvLock.unlock();
        }
    }

    /**
     * Writes all of {@code bytes}, waiting (parked) while the kernel's send buffer is full.
     *
     * @throws IOException the write's failure, or the channel's close
     */
    public void write(byte[] bytes) throws IOException {
        handshake.await(null);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        writeLock.lock();
        try {
            while (!wire.write(b)) {
                awaitWritable();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Has the wire write what it owes the peer (a TLS key update's answer) on a thread of its own, as a writer:
     * the reader that found it due may not wait for the write lock.
     */
    public void writeOwedLater() {
        Thread.ofVirtual().name("ergon-io-tls-answer").start(() -> {
            try {
                write(new byte[0]);
            } catch (IOException | IoError e) {
                // the socket failed or closed: its reader tells the owner
            }
        });
    }

    private void awaitWritable() throws IOException {
        writer = Thread.currentThread();
        try {
            registration.armWrite();
            LockSupport.park(this);
            if (stopped) {
                throw new java.nio.channels.ClosedChannelException();
            }
        } finally {
            writer = null;
        }
    }

    /** Ends reading and waiting without telling the owner, and lets go of the poller; close the channel after. */
    public void stop() {
        stopped = true;
        demand.close();
        Thread waiting;
        boolean inHandshake;
        readLock.lock();
        try {
            waiting = receiver;
            inHandshake = handshaking;
        } finally {
            readLock.unlock();
        }
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
        Thread w = writer;
        if (w != null) {
            LockSupport.unpark(w);
        }
        if (inHandshake) { // the error (a stack trace's worth) only for a handshake that it ends
            handshakeFailed(new IoError(IoError.CLOSED, "the socket closed during the TLS handshake"));
        }
        if (writeLock.tryLock()) { // a writer that holds it is on its way out, with nothing left to say
            try {
                readLock.lock();
                try {
                    wire.closing();
                } finally {
                    readLock.unlock();
                }
            } finally {
                writeLock.unlock();
            }
        }
        registration.cancel();
    }
}
