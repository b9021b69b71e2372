package io.ergon.net.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection reader's short look for more input before a read that would block: for up to {@link #WINDOW_NANOS}
 * it asks the socket whether bytes have come ({@code available()}, one {@code ioctl}) and yields its carrier between
 * looks, so that the node's workers go on running meanwhile; only then does the read park.
 *
 * <p>Why. A call across nodes is two one-way trips, and on a virtual machine each trip that finds its reader parked
 * pays for waking it: the JDK's poller thread wakes first, then a carrier for the reader. Two JVMs that exchange one
 * byte over loopback take 55 µs a round trip with blocking reads and 7 µs when both poll (measured 2026-12-02 on the
 * 2-core Xeon host). Ergon↔Ergon calls went from 7.6-9.0k to 16-32k/s quiet, and from 4.7-6.2k to 10-14k/s beside
 * two CPU hogs ({@code bench/run.sh --only xnode}, same sitting). Erlang's schedulers poll for the same reason before
 * they sleep.
 *
 * <p>Why yield and not spin. A reader that spins holds a carrier: the worker it has just woken for the reply waits
 * for the other one, and calls fell to 4.1-5.1k/s. Yielding puts the reader behind the node's runnable workers each
 * time, so it only polls when they have nothing to do.
 *
 * <p>When. The reader polls only while the two nodes converse (it wrote to the peer since the socket last ran dry,
 * {@code ConnectionReader}): at most one window per frame that empties the socket; a one-way stream from the peer
 * does not poll, and an idle connection polls once per tick it sends. At most {@link #maxPolling()} readers of
 * a node poll at once, so that many connections with sparse traffic do not fill the run queue with readers; the
 * others park at once, as before. And where the CPUs are contended, a reader polls only while polling pays: while
 * at least half of its recent windows found the input ({@link PollOdds}). Beside CPU-bound processes the peer's answer
 * mostly comes after the window, and the windows only burn the CPU time both nodes' processes needed; there the reader
 * blocks at once, and polls one time in sixteen to notice when the machine is quiet again.
 */
final class InputPoll {
    /**
     * How long a reader looks for more input: windows of 50 µs to 500 µs measured alike (16-32k calls/s); 100 µs
     * covers a round trip through a busy peer with some margin. {@code -Dergon.dist.pollMicros=N} sets it, and 0
     * turns polling off (readers then block at once, as before it).
     */
    static final long WINDOW_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("ergon.dist.pollMicros", 100));
    /** Looks between clock reads. */
    private static final int CLOCK_EVERY = 8;

    private final AtomicInteger polling = new AtomicInteger();
    private final int maxPolling;

    InputPoll(int maxPolling) {
        if (maxPolling < 0) {
            throw new IllegalArgumentException("maxPolling must be >= 0: " + maxPolling);
        }
        this.maxPolling = maxPolling;
    }

    /** Readers allowed to poll at once: half the cores, at least one. */
    static InputPoll forThisMachine() {
        return new InputPoll(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    int maxPolling() {
        return maxPolling;
    }

    /**
     * Waits up to the window for {@code in} to have bytes, yielding between looks; true if it has them, false if the
     * window passed (or too many readers poll already) and the caller's read will block. {@code beforePolling} runs
     * first if it polls (the reader hands over the processes it woke: they run while it yields).
     */
    boolean awaitInput(InputStream in, Runnable beforePolling) throws IOException {
        return awaitInput(in, null, beforePolling);
    }

    /**
     * As {@link #awaitInput(InputStream, Runnable)}, but only when the reader's recent looks say that looking pays
     * ({@link PollOdds#worthLooking()}), and the outcome is added to them; false at once otherwise.
     */
    boolean awaitInput(InputStream in, PollOdds odds, Runnable beforePolling) throws IOException {
        if (WINDOW_NANOS <= 0) {
            return false;
        }
        if (odds != null && !odds.worthLooking()) {
            return false;
        }
        if (polling.incrementAndGet() > maxPolling) {
            polling.decrementAndGet();
            return false;
        }
        try {
            beforePolling.run();
            long start = System.nanoTime();
            for (int i = 1; ; i++) {
                if (in.available() > 0) {
                    looked(odds, true);
                    return true;
                }
                if (i % CLOCK_EVERY == 0 && System.nanoTime() - start >= WINDOW_NANOS) {
                    looked(odds, false);
                    return false;
                }
                Thread.yield();
            }
        } finally {
            polling.decrementAndGet();
        }
    }

    private static void looked(PollOdds odds, boolean found) {
        if (odds != null) {
            odds.looked(found);
        }
    }
}
