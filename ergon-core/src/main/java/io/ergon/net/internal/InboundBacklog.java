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
 * <p>Before it reads on, a reader asks {@link Account#mustPause()}: its connection holds more than
 * {@link InboundLimits#connection()}, or the node more than {@link InboundLimits#node()} while this connection holds
 * something too (a connection with nothing waiting may always deliver one message, so a quiet peer's rpc still gets
 * through while a flooding one is held back). Then it stops reading ({@link Account#awaitRoom}) until its connection
 * is back to half its limit and the node to half its own (or this connection holds nothing). The socket's buffers
 * fill, TCP's window closes, and the peer's sender blocks: Erlang's {@code busy_dist_port} on the peer's side, as
 * between two Erlang nodes. So a peer that sends faster than the node's processes consume costs the node at most
 * about the limits (plus one message, and the kernel's socket buffers), not its heap.
 *
 * <p>Threads: any thread releases; only the connection's reader charges and waits. A release that brings a
 * connection down to half its limit wakes its paused reader; a paused reader also looks again every
 * {@link #RECHECK_NANOS}, which covers releases to other connections that bring the node below its half.
 */
final class InboundBacklog {
    /** How often a paused reader looks again without being woken. */
    static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final InboundLimits limits;
    private final AtomicLong nodeBytes = new AtomicLong();

    InboundBacklog(InboundLimits limits) {
        this.limits = limits;
    }

    InboundLimits limits() {
        return limits;
    }

    /** Bytes held by all of this node's connections now. */
    long bytes() {
        return nodeBytes.get();
    }

    /** A new connection's account. */
    Account open() {
        return new Account();
    }

    /** One connection's share: what its messages cost while they wait, and its reader's pause. */
    final class Account implements InboundMessage.Ledger {
        private final AtomicLong bytes = new AtomicLong();
        /** The reader while it is paused, for a release to wake; null otherwise. */
        private volatile Thread pausedReader;
        /** Times its reader paused; read by the tick watch (see {@link TickWatch}). */
        private volatile long pauses;
        /** Whether the reader is paused now. */
        private volatile boolean paused;

        /** Charges a message decoded from a frame of {@code frameBytes} and wraps it; reader thread only. */
        InboundMessage charge(Object message, int frameBytes) {
            long cost = (long) frameBytes + InboundMessage.OVERHEAD;
            bytes.addAndGet(cost);
            nodeBytes.addAndGet(cost);
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

        /** Bytes this connection's messages hold now. */
        long bytes() {
            return bytes.get();
        }

        /** Whether the reader must stop reading before the next frame (see the class comment). */
        boolean mustPause() {
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
