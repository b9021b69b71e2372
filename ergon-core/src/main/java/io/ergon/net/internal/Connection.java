package io.ergon.net.internal;

import io.ergon.etf.EtfDecoder;
import io.ergon.node.spi.NodeThreads;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to another node. Made when the first message goes there (or when {@code connect} is called, or
 * when the peer connects to us), it queues outgoing frames from the start; once the handshake is done, a reader
 * thread decodes incoming frames and a writer thread sends the queued ones, batching them under load and flushing
 * when the queue runs dry. Both are virtual threads.
 *
 * <p>It remembers which local processes have links or monitors across it ({@link #involve}), so that when it
 * closes they, and only they, learn that the node is down.
 */
final class Connection {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** Frames the reader handles at most before it queues the processes they woke. */
    private static final int WAKE_BATCH = 16;

    enum State { CONNECTING, UP, CLOSED }

    private final Distribution dist;
    private final Atom peer;
    private final OutQueue queue;
    private final Set<Pid> involved = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Boolean> established = new CompletableFuture<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    /** Bytes queued and not yet written: what the busy limit ({@link #awaitNotBusy}) looks at. */
    private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.locks.ReentrantLock busyLock = new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.locks.Condition notBusy = busyLock.newCondition();
    private volatile boolean busyWaiters;
    /** Set when the peer's own attempt, which wins a simultaneous connect, is being accepted into this one. */
    volatile boolean acceptingSimultaneous;
    private volatile State state = State.CONNECTING;
    private volatile Socket socket;
    private volatile long flags;
    private volatile int peerCreation;

    // tick accounting: counters the reader and writer bump, and what the ticker saw last time
    private volatile long framesIn;
    private volatile long framesOut;
    private long seenIn;
    private long seenOut;
    private int silentTicks;

    Connection(Distribution dist, Atom peer) {
        this.dist = dist;
        this.peer = peer;
        this.queue = new OutQueue(dist.node().threads()::unparkElsewhere);
    }

    Atom peer() {
        return peer;
    }

    State state() {
        return state;
    }

    long flags() {
        return flags;
    }

    int peerCreation() {
        return peerCreation;
    }

    boolean has(long flag) {
        return (flags & flag) != 0;
    }

    /** Completes with true once up, false if the connection failed or closed first. */
    CompletableFuture<Boolean> established() {
        return established;
    }

    /** Queues a frame; frames queued while connecting go out after the handshake. False once closed. */
    boolean send(OutFrame frame) {
        if (state == State.CLOSED) {
            return false;
        }
        queuedBytes.addAndGet(frame.data().length);
        queue.offer(frame);
        return true;
    }

    /** True while more than {@code limit} bytes wait to be written (Erlang's busy distribution port). */
    boolean isBusy(long limit) {
        return queuedBytes.get() > limit;
    }

    /**
     * Waits while the connection is busy (more than {@code limit} bytes queued), until the writer has drained it
     * to half the limit or the connection closed. This is Erlang's busy distribution port: a process that sends
     * faster than the peer reads is suspended instead of the queue growing without end.
     */
    void awaitNotBusy(long limit) {
        if (queuedBytes.get() <= limit) {
            return;
        }
        NodeThreads.Blocking blocking = dist.node().threads().beginBlocking();
        busyLock.lock();
        try {
            while (queuedBytes.get() > limit / 2 && state != State.CLOSED) {
                busyWaiters = true;
                notBusy.await(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            busyLock.unlock();
            blocking.close();
        }
    }

    private void wakeBusyWaiters() {
        if (busyWaiters) {
            busyLock.lock();
            try {
                busyWaiters = false;
                notBusy.signalAll();
            } finally {
                busyLock.unlock();
            }
        }
    }

    /**
     * Notes that a local process has a link, monitor or spawn request across this connection. A connection that
     * has already begun to close may have told the processes it knew before this one: then this one is told here
     * that the node is down (a process that hears it twice fires only what is still pending).
     */
    void involve(Pid local) {
        involved.add(local);
        if (closing.get()) {
            dist.tellNodeDown(this, local);
        }
    }

    Set<Pid> involved() {
        return involved;
    }

    /**
     * The handshake succeeded on {@code s}: start reading and writing. Only the first successful handshake of a
     * simultaneous connect gets here with effect; a later one is told so (false) and must close its socket.
     */
    boolean start(Socket s, Handshake.Peer info, long ourFlags) {
        if (!started.compareAndSet(false, true)) {
            return false;
        }
        this.socket = s;
        this.flags = info.common(ourFlags);
        this.peerCreation = info.creation();
        if (closing.get()) {
            closeSocket();
            return true;
        }
        state = State.UP;
        // on the node's carriers: a reply read here is handed the reader's carrier, a frame sent by a process the
        // sender's, so a call across nodes switches threads on one core at each end
        dist.node().threads().startSystemThread("ergon-dist-reader-" + peer, this::readLoop);
        dist.node().threads().startSystemThread("ergon-dist-writer-" + peer, this::writeLoop);
        established.complete(true);
        return true;
    }

    private void readLoop() {
        NodeThreads threads = dist.node().threads();
        threads.markNonBlocking();
        // processes woken by this connection's messages are queued in bursts: before each read from the socket
        // (which may block) and every WAKE_BATCH frames
        try (NodeThreads.WakeBatch wakes = threads.deferWakes()) {
            InputStream raw = new FilterInputStream(socket.getInputStream()) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (super.available() == 0) {
                        wakes.flushBeforeBlocking(); // the read will wait: what it woke may have this carrier
                    } else {
                        wakes.flush();
                    }
                    return super.read(b, off, len);
                }
            };
            DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 64 * 1024));
            EtfDecoder decoder = new EtfDecoder(dist.decodeLimits(), dist.records());
            FrameReader reader = new FrameReader(in, decoder, dist.decodeLimits().maxBytes());
            int sinceFlush = 0;
            while (state == State.UP) {
                FrameReader.Message m = reader.next();
                framesIn++;
                if (m != null) {
                    Control.dispatch(dist, this, m);
                }
                if (++sinceFlush == WAKE_BATCH) {
                    sinceFlush = 0;
                    wakes.flush();
                }
            }
        } catch (EOFException e) {
            close("the peer closed the connection");
        } catch (FrameReader.ProtocolException e) {
            fail("protocol error: " + e.getMessage());
        } catch (SocketException e) {
            close(state == State.CLOSED ? "closed" : "socket error: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            fail("read failed: " + e);
        }
    }

    private void writeLoop() {
        try {
            FrameWriter writer = new FrameWriter(socket.getOutputStream(), has(DistFlags.FRAGMENTS));
            while (state == State.UP) {
                OutFrame f = queue.poll();
                if (f == null) {
                    writer.flush();
                    queue.await();
                    continue;
                }
                if (f == OutFrame.END) {
                    writer.flush();
                    drained.complete(null);
                    return;
                }
                writer.write(f);
                framesOut++;
                if (queuedBytes.addAndGet(-f.data().length) <= dist.busyLimit() / 2) {
                    wakeBusyWaiters();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (state != State.CLOSED) {
                fail("write failed: " + e.getMessage());
            }
        }
    }

    /**
     * Called every quarter of net_ticktime: sends a tick if nothing went out since last time, and closes the
     * connection if nothing came in for four quarters.
     */
    void tick() {
        if (state != State.UP) {
            return;
        }
        long out = framesOut;
        if (out == seenOut) {
            queue.offer(OutFrame.TICK);
        }
        seenOut = out;
        long in = framesIn;
        if (in == seenIn) {
            if (++silentTicks >= 4) {
                fail("no traffic for net_ticktime (" + dist.netTickTime() + "): the peer stopped ticking");
            }
        } else {
            silentTicks = 0;
        }
        seenIn = in;
    }

    /**
     * Closes the connection after the frames already queued have gone out (waiting at most {@code wait}), as a node
     * that shuts down should: the messages its processes sent last still reach the peer.
     */
    void closeGracefully(java.time.Duration wait, String reason) {
        if (state == State.UP) {
            queue.offer(OutFrame.END);
            try {
                drained.get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // closing anyway
            }
        }
        close(reason);
    }

    /** Closes the connection (once); the node then treats the peer as down. */
    void close(String reason) {
        close(reason, false);
    }

    /** Closes the connection because something went wrong (logged as a warning). */
    void fail(String reason) {
        close(reason, true);
    }

    private void close(String reason, boolean failure) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        boolean wasUp = state == State.UP;
        state = State.CLOSED;
        closeSocket();
        queue.wake();
        drained.complete(null);
        busyWaiters = true;
        wakeBusyWaiters();
        dist.closed(this, reason, wasUp, failure);
        established.complete(false);
    }

    private void closeSocket() {
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public String toString() {
        return "Connection[" + peer + ", " + state + "]";
    }

    static Logger log() {
        return LOG;
    }
}
