package io.ergon.net.internal;

import io.ergon.node.spi.InboundMessage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Inbound backpressure for one node: the bytes of messages that its connections' readers decoded and that local
 * processes have not taken yet, per connection ({@link Account}) and in all. A reader charges each message it
 * decodes ({@link Account#charge}); the message goes into a mailbox as an {@link InboundMessage}, and the node
 * releases the charge when its process takes it, or drops it (see {@link InboundMessage}).
 *
 * <p>Each time it has charged another {@code checkBytes} (64 KiB, or a 16th of a smaller connection limit), a reader
 * asks {@link Account#mustPause()} before it reads on: its connection holds more than
 * {@link InboundLimits#connection()}, or the node more than {@link InboundLimits#node()} while this connection holds
 * something too (a connection with nothing waiting may always deliver, {@code checkBytes} at a time, so a quiet
 * peer's rpc still gets through while a flooding one is held back). Then it stops reading ({@link Account#awaitRoom})
 * until its connection is back to half its limit and the node to half its own (or this connection holds nothing).
 * The socket's buffers fill, TCP's window closes, and the peer's sender blocks: Erlang's {@code busy_dist_port} on the
 * peer's side, as between two Erlang nodes. So a peer that sends faster than the node's processes consume costs the
 * node at most about the limits (plus {@code checkBytes} and a message per connection, and the kernel's socket
 * buffers), not its heap.
 *
 * <p>Threads: any thread releases; only the connection's reader charges and waits. A release that brings a
 * connection down to half its limit wakes its paused reader; a paused reader also looks again every
 * {@link #RECHECK_NANOS}, which covers releases to other connections that bring the node below its half.
 */
final class InboundBacklog {
    /** How often a paused reader looks again without being woken. */
    static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** The most a reader charges before it looks at the limits again (see {@link Account}). */
    static final long MAX_CHECK_BYTES = 64 * 1024;

    private final InboundLimits limits;
    private final AtomicLong nodeBytes = new AtomicLong();
    /** What a reader charges between two looks at the limits: 64 KiB, or a 16th of a smaller connection limit. */
    private final long checkBytes;

    InboundBacklog(InboundLimits limits) {
        this.limits = limits;
        this.checkBytes = Math.min(MAX_CHECK_BYTES, limits.connection() / 16);
    }

    InboundLimits limits() {
        return limits;
    }

    /** What a reader charges between two looks at the limits. */
    long checkBytes() {
        return checkBytes;
    }

    /** Bytes held by all of this node's connections now. */
    long bytes() {
        return nodeBytes.get();
    }

    /** A new connection's account. */
    Account open() {
        return new Account();
    }

    /**
     * One connection's share: what its messages cost while they wait, and its reader's pause.
     *
     * <p>The reader charges without touching a shared counter: it adds each cost to a field of its own
     * ({@code pending}) and publishes the sum to the connection's and the node's counters once it reaches
     * {@link #checkBytes} ({@link #checkDue()}, then {@link #mustPause()}), and before it blocks for input
     * ({@link #publish()}). Releases, by the processes that take the messages, go straight to the shared counters. A
     * counter may so be briefly below the truth (a release published before its charge), never above it for long:
     * it is exact whenever the reader waits, for input or in a pause. The reader decides only on published sums, so
     * a connection overshoots its limit by at most {@code checkBytes} and a message. Per message the reader so makes
     * no atomic update of a cache line the consuming processes write too: the reader is what limits a stream of small
     * messages from one peer, and two contended atomics per message were worth avoiding on its side.
     */
    final class Account implements InboundMessage.Ledger {
        private final AtomicLong bytes = new AtomicLong();
        /** Charged by the reader and not yet published (the reader's own). */
        private long pending;
        /**
         * Charged by the reader since it last looked ({@link #mustPause}); the reader's own. Apart from
         * {@link #pending}: a publish before the reader blocks is not a look, and a reader that blocked often (a
         * peer that trickles, or a loaded machine) published a little at a time and never came to look at all.
         */
        private long sinceLook;
        /** The reader while it is paused, for a release to wake; null otherwise. */
        private volatile Thread pausedReader;
        /** Times its reader paused; read by the tick watch (see {@link TickWatch}). */
        private volatile long pauses;
        /** Whether the reader is paused now. */
        private volatile boolean paused;

        /** Charges a message decoded from a frame of {@code frameBytes} and wraps it; reader thread only. */
        InboundMessage charge(Object message, int frameBytes) {
            long cost = (long) frameBytes + InboundMessage.OVERHEAD;
            pending += cost;
            sinceLook += cost;
            return new InboundMessage(message, cost, this);
        }

        @Override
        public void release(long cost) {
            long left = bytes.addAndGet(-cost);
            nodeBytes.addAndGet(-cost);
            Thread reader = pausedReader;
            if (reader != null && left <= limits.connection() / 2) {
                LockSupport.unpark(reader);
            }
        }

        /** Whether enough was charged since the last look that the reader must look ({@link #mustPause}). */
        boolean checkDue() {
            return sinceLook >= checkBytes;
        }

        /** Publishes what the reader charged (before it blocks for input); reader thread only. */
        void publish() {
            long p = pending;
            if (p != 0) {
                pending = 0;
                bytes.addAndGet(p);
                nodeBytes.addAndGet(p);
            }
        }

        /**
         * Bytes this connection's messages hold: exact on the reader's thread, and elsewhere whenever the reader
         * waits; otherwise up to {@link #checkBytes} behind.
         */
        long bytes() {
            return bytes.get();
        }

        /**
         * Publishes what the reader charged, and tells whether it must stop reading before the next frame (see the
         * class comment); reader thread only.
         */
        boolean mustPause() {
            sinceLook = 0;
            publish();
            long mine = bytes.get();
            return mine > limits.connection() || (mine > 0 && nodeBytes.get() > limits.node());
        }

        /** Whether a paused reader may read again. */
        boolean mayResume() {
            long mine = bytes.get();
            return mine <= limits.connection() / 2 && (mine == 0 || nodeBytes.get() <= limits.node() / 2);
        }

        /** Whether the reader is paused now. */
        boolean paused() {
            return paused;
        }

        /** Times the reader has paused so far. */
        long pauses() {
            return pauses;
        }

        /**
         * Parks the reader (the current thread) until {@link #mayResume()} or {@code stillOpen} turns false; wakes
         * on releases that bring the connection down to half its limit, and looks again every
         * {@link #RECHECK_NANOS}. Returns the nanoseconds it was paused. Reader thread only.
         */
        long awaitRoom(BooleanSupplier stillOpen) {
            long start = System.nanoTime();
            pausedReader = Thread.currentThread();
            paused = true;
            pauses++;
            try {
                while (!mayResume() && stillOpen.getAsBoolean()) {
                    LockSupport.parkNanos(this, RECHECK_NANOS);
                }
            } finally {
                paused = false;
                pausedReader = null;
            }
            return System.nanoTime() - start;
        }
    }
}
