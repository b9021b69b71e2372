package io.ergon.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy that injects faults, for tests of what a node does when its network misbehaves (the machine's kernel
 * has no {@code netem}): it listens on a local address and forwards each connection to one target, and while it
 * runs a test can add latency with jitter, stall forwarding, limit the bandwidth (each per {@link Direction}), and
 * reset every connection with a TCP RST.
 *
 * <p>Guarantees: the bytes of each direction arrive in order, none dropped or duplicated, whatever the faults, until
 * a reset or {@link #close()} ends the connection (then both sides see an RST, not a clean end). A stall stops
 * forwarding; what arrives meanwhile waits in a bounded queue and then in the kernel, so the sender is pushed back
 * as by a slow peer. Threads are bounded: one acceptor and four per connection, at most {@code maxConnections}
 * connections (a connection past the bound is reset at once). {@link #close()} closes every socket and waits for
 * every thread.
 */
public final class FaultProxy implements AutoCloseable {
    /** Which way the bytes go: from the client to the target, or back. */
    public enum Direction {
        UPSTREAM, DOWNSTREAM
    }

    private static final int CHUNK = 16 * 1024;
    private static final int QUEUED_CHUNKS = 64;
    private static final Chunk END = new Chunk(new byte[0], 0, 0);

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final int maxConnections;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Faults[] faults = {Faults.NONE, Faults.NONE};
    private final List<Link> links = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final SplittableRandom random;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    /** The faults in force on one direction. */
    private record Faults(long latencyNanos, long jitterNanos, boolean stalled, long bytesPerSecond) {
        static final Faults NONE = new Faults(0, 0, false, 0);
    }

    private record Chunk(byte[] bytes, int length, long dueNanos) {
    }

    private FaultProxy(ServerSocket server, InetSocketAddress target, int maxConnections, long seed) {
        this.server = server;
        this.target = target;
        this.maxConnections = maxConnections;
        this.random = new SplittableRandom(seed);
        this.acceptor = Thread.ofPlatform().daemon().name("fault-proxy-accept-" + server.getLocalPort())
                .start(this::acceptLoop);
    }

    /**
     * Starts a proxy on {@code listen} (port 0 for a free one) that forwards to {@code target}.
     *
     * @param maxConnections connections open at once at most; the others are reset as they come
     * @param seed           the jitter's random seed, so that a run can be repeated
     */
    public static FaultProxy start(InetSocketAddress listen, InetSocketAddress target, int maxConnections,
                                   long seed) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen, 50);
        return new FaultProxy(server, target, maxConnections, seed);
    }

    /** Starts a proxy on a free loopback port, at most 64 connections at once. */
    public static FaultProxy start(InetSocketAddress target) throws IOException {
        return start(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), target, 64, 1);
    }

    /** The port the proxy listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far (including those past the bound). */
    public long accepted() {
        return accepted.get();
    }

    /** Connections ended by {@link #reset()} or by the bound so far. */
    public long resets() {
        return resets.get();
    }

    /** Connections open now. */
    public int openConnections() {
        lock.lock();
        try {
            return links.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Delays every byte going {@code direction} by {@code latency} plus a random share of {@code jitter}; bytes
     * stay in order (a chunk never overtakes the one before). Zero for both removes it.
     */
    public FaultProxy latency(Direction direction, Duration latency, Duration jitter) {
        return update(direction, f -> new Faults(latency.toNanos(), jitter.toNanos(), f.stalled, f.bytesPerSecond));
    }

    /** Stops forwarding {@code direction} (true) or goes on (false). */
    public FaultProxy stall(Direction direction, boolean stalled) {
        return update(direction, f -> new Faults(f.latencyNanos, f.jitterNanos, stalled, f.bytesPerSecond));
    }

    /** Forwards at most {@code bytesPerSecond} going {@code direction}; 0 removes the limit. */
    public FaultProxy bandwidth(Direction direction, long bytesPerSecond) {
        return update(direction, f -> new Faults(f.latencyNanos, f.jitterNanos, f.stalled, bytesPerSecond));
    }

    /** Removes every fault in force (latency, stalls, limits) in both directions. */
    public FaultProxy heal() {
        for (Direction d : Direction.values()) {
            update(d, f -> Faults.NONE);
        }
        return this;
    }

    /** Ends every open connection with a TCP RST on both sides; new connections are forwarded as before. */
    public int reset() {
        List<Link> open;
        lock.lock();
        try {
            open = List.copyOf(links);
        } finally {
            lock.unlock();
        }
        open.forEach(Link::abort);
        resets.addAndGet(open.size());
        return open.size();
    }

    private FaultProxy update(Direction direction, java.util.function.UnaryOperator<Faults> change) {
        lock.lock();
        try {
            faults[direction.ordinal()] = change.apply(faults[direction.ordinal()]);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return this;
    }

    private Faults faults(Direction direction) {
        lock.lock();
        try {
            return faults[direction.ordinal()];
        } finally {
            lock.unlock();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // a transient accept error (e.g. no descriptors): wait a little before the next try
                waitChange(TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            accepted.incrementAndGet();
            lock.lock();
            try {
                if (closed || links.size() >= maxConnections) {
                    resets.incrementAndGet();
                    abortSocket(client);
                    continue;
                }
                links.add(new Link(client));
            } finally {
                lock.unlock();
            }
        }
    }

    /** Waits until the faults change or {@code nanos} pass, whichever is first. */
    private void waitChange(long nanos) {
        lock.lock();
        try {
            if (!closed && nanos > 0) {
                changed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private Thread startThread(String name, Runnable body) {
        Thread t = Thread.ofPlatform().daemon().name(name).unstarted(body);
        threads.removeIf(x -> !x.isAlive());
        threads.add(t);
        t.start();
        return t;
    }

    /** Closes the listening socket and every connection (with an RST), and waits for every thread to end. */
    @Override
    public void close() {
        List<Thread> toJoin;
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            toJoin = new ArrayList<>(threads);
        } finally {
            lock.unlock();
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        reset();
        toJoin.add(acceptor);
        for (Thread t : toJoin) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void abortSocket(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // already closed
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** One proxied connection: a client socket, a target socket, and a reader and a writer per direction. */
    private final class Link {
        private final Socket client;
        private final Socket upstream = new Socket();
        private final ReentrantLock endLock = new ReentrantLock();
        private int pumpsLeft = 2;
        private volatile boolean done;

        /** Called with the proxy's lock held. */
        Link(Socket client) {
            this.client = client;
            String id = client.getPort() + "";
            startThread("fault-proxy-connect-" + id, () -> {
                try {
                    client.setTcpNoDelay(true);
                    upstream.setTcpNoDelay(true);
                    upstream.connect(target, 5_000);
                } catch (IOException e) {
                    abort();
                    return;
                }
                lock.lock();
                try {
                    if (closed) {
                        abort();
                        return;
                    }
                    pump(Direction.UPSTREAM, client, upstream, id);
                    pump(Direction.DOWNSTREAM, upstream, client, id);
                } finally {
                    lock.unlock();
                }
            });
        }

        /** Starts a reader and a writer that move bytes from {@code from} to {@code to}, with faults. */
        private void pump(Direction direction, Socket from, Socket to, String id) {
            BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
            String name = "fault-proxy-" + direction.name().toLowerCase() + "-" + id;
            startThread(name + "-read", () -> read(direction, from, queue));
            startThread(name + "-write", () -> write(direction, to, queue));
        }

        private void read(Direction direction, Socket from, BlockingQueue<Chunk> queue) {
            long lastDue = 0;
            try (InputStream in = from.getInputStream()) {
                while (true) {
                    byte[] buf = new byte[CHUNK];
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    Faults f = faults(direction);
                    long due = System.nanoTime() + f.latencyNanos + jitter(f.jitterNanos);
                    lastDue = Math.max(lastDue, due);
                    if (!enqueue(queue, new Chunk(buf, n, lastDue))) {
                        return;
                    }
                }
                enqueue(queue, END);
            } catch (IOException | InterruptedException e) {
                abort();
            }
        }

        /** Waits for room in the queue (a stalled writer pushes back on the reader); false once the link is done. */
        private boolean enqueue(BlockingQueue<Chunk> queue, Chunk c) throws InterruptedException {
            while (!done) {
                if (queue.offer(c, 200, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
            return false;
        }

        private long jitter(long bound) {
            if (bound <= 0) {
                return 0;
            }
            lock.lock();
            try {
                return random.nextLong(bound);
            } finally {
                lock.unlock();
            }
        }

        private void write(Direction direction, Socket to, BlockingQueue<Chunk> queue) {
            try {
                OutputStream out = to.getOutputStream();
                long nextAllowed = System.nanoTime();
                while (true) {
                    Chunk c = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (closed || done) {
                        abort();
                        return;
                    }
                    if (c == null) {
                        continue;
                    }
                    if (c == END) {
                        to.shutdownOutput();
                        pumpEnded();
                        return;
                    }
                    int off = 0;
                    while (off < c.length) {
                        Faults f = awaitForwarding(direction, c.dueNanos);
                        if (f == null) {
                            abort();
                            return;
                        }
                        int n = c.length - off;
                        if (f.bytesPerSecond > 0) {
                            long now = System.nanoTime();
                            if (now < nextAllowed) {
                                waitChange(nextAllowed - now);
                                continue;
                            }
                            n = (int) Math.max(1, Math.min(n, f.bytesPerSecond / 20));
                            nextAllowed = Math.max(now, nextAllowed) + n * 1_000_000_000L / f.bytesPerSecond;
                        }
                        out.write(c.bytes, off, n);
                        out.flush();
                        off += n;
                    }
                }
            } catch (IOException | InterruptedException e) {
                abort();
            }
        }

        /** Waits while the direction is stalled or the chunk is not due; null once the proxy closes. */
        private Faults awaitForwarding(Direction direction, long dueNanos) {
            while (!closed && !done) {
                Faults f = faults(direction);
                long wait = dueNanos - System.nanoTime();
                if (f.stalled) {
                    waitChange(TimeUnit.MILLISECONDS.toNanos(200));
                } else if (wait > 0) {
                    waitChange(wait);
                } else {
                    return f;
                }
            }
            return null;
        }

        /** One direction ended cleanly; when both have, the connection is done. */
        private void pumpEnded() {
            endLock.lock();
            try {
                if (--pumpsLeft > 0) {
                    return;
                }
            } finally {
                endLock.unlock();
            }
            closeBoth(false);
        }

        void abort() {
            closeBoth(true);
        }

        private void closeBoth(boolean rst) {
            done = true;
            if (rst) {
                abortSocket(client);
                abortSocket(upstream);
            } else {
                try {
                    client.close();
                    upstream.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            lock.lock();
            try {
                links.remove(this);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
