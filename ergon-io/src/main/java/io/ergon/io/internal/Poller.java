package io.ergon.io.internal;

import io.ergon.api.InternalApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that wait for sockets to become readable or writable, so that an idle socket holds no thread of its
 * own, as Erlang's poll set does for its ports: each is a platform thread over a {@link Selector}, shared by every
 * socket of the JVM (half as many as there are cores, at least one, unless the system property
 * {@code ergon.io.pollers} says how many), started with the first socket and kept.
 *
 * <p>A socket registers once ({@link #register}) and then arms and disarms its interest: a read armed stays armed
 * through any number of readiness events (level-triggered) until the socket disarms it, so a socket whose owner keeps
 * asking for data costs no wake-up of the selector per message; arming from another thread wakes the selector, which
 * applies interest changes only between selections. What a readiness event does is the socket's
 * ({@link Readiness}), run on the poller's thread: it must not block.
 */
@InternalApi
public final class Poller {
    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
    private static final Poller[] POLLERS = new Poller[Integer.getInteger("ergon.io.pollers",
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2))];
    private static final AtomicInteger NEXT = new AtomicInteger();

    /** What a socket does when the poller sees it ready; called on the poller's thread, must not block. */
    public interface Readiness {
        /** Bytes (or the end of the stream) may be read; for a listening socket, connections wait. */
        void readable();

        /** The send buffer has room again. */
        void writable();
    }

    private final Selector selector;
    private final Thread thread;

    private Poller(int index) throws IOException {
        selector = Selector.open();
        thread = Thread.ofPlatform().daemon().name("ergon-io-poller-" + index).start(this::loop);
    }

    /**
     * Registers a non-blocking {@code channel}, with no interest yet, on one of the pollers.
     *
     * @throws UncheckedIOException if the poller cannot be opened or the channel is closed
     */
    public static Registration register(SelectableChannel channel, Readiness readiness) {
        int i = Math.floorMod(NEXT.getAndIncrement(), POLLERS.length);
        Poller poller;
        synchronized (POLLERS) {
            if (POLLERS[i] == null) {
                try {
                    POLLERS[i] = new Poller(i);
                } catch (IOException e) {
                    throw new UncheckedIOException("opening a selector", e);
                }
            }
            poller = POLLERS[i];
        }
        try {
            return new Registration(poller, channel.register(poller.selector, 0, readiness));
        } catch (ClosedChannelException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void loop() {
        for (;;) {
            try {
                selector.select(this::dispatch);
            } catch (IOException | RuntimeException e) {
                LOG.error("the I/O poller failed; it goes on", e);
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    private void dispatch(SelectionKey key) {
        Readiness readiness = (Readiness) key.attachment();
        try {
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                readiness.writable();
            }
            if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
                readiness.readable();
            }
        } catch (CancelledKeyException e) {
            // closed meanwhile
        } catch (RuntimeException | Error e) {
            LOG.error("a socket's readiness handler failed", e);
        }
    }

    /**
     * One channel's place in a poller: its interest in reads and writes. Thread-safe.
     */
    public static final class Registration {
        private final Poller poller;
        private final SelectionKey key;
        /** What "read" is for this channel: accept for a listening socket. */
        private final int readOp;
        private boolean read;
        private boolean write;

        private Registration(Poller poller, SelectionKey key) {
            this.poller = poller;
            this.key = key;
            this.readOp = (key.channel().validOps() & SelectionKey.OP_ACCEPT) != 0 ? SelectionKey.OP_ACCEPT
                    : SelectionKey.OP_READ;
        }

        /** Watches for reads (until {@link #disarmRead}); a no-op if it already does. */
        public void armRead() {
            watch(true, true);
        }

        /** Stops watching for reads (on the poller's thread it takes effect at the next selection, at no cost). */
        public void disarmRead() {
            watch(true, false);
        }

        /** Whether reads are watched. */
        public synchronized boolean readArmed() {
            return read;
        }

        /** Watches for room to write, once: {@link Readiness#writable} disarms it. */
        public void armWrite() {
            watch(false, true);
        }

        /** Stops watching for room to write. */
        public void disarmWrite() {
            watch(false, false);
        }

        /** Sets the read or write watch; a watch set from another thread than the poller's wakes it to apply it. */
        private void watch(boolean reads, boolean on) {
            synchronized (this) {
                if ((reads ? read : write) == on) {
                    return;
                }
                if (reads) {
                    read = on;
                } else {
                    write = on;
                }
                update();
            }
            if (on) {
                wakeUnlessPoller();
            }
        }

        /** Forgets the channel; call it when the channel closes, so that the poller lets go of its descriptor. */
        public void cancel() {
            key.cancel();
            poller.selector.wakeup();
        }

        /**
         * {@link #cancel}, then waits (up to {@code limit}) until the poller has let go of the channel: a channel that
         * closes while registered keeps its descriptor until then, and a listening socket's port stays taken.
         */
        public void cancelAndAwait(Duration limit) {
            cancel();
            if (Thread.currentThread() == poller.thread) {
                return; // it lets go when this round ends
            }
            long deadline = System.nanoTime() + limit.toNanos();
            while (key.channel().isRegistered() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(50_000);
            }
        }

        private void update() {
            try {
                key.interestOps((read ? readOp : 0) | (write ? SelectionKey.OP_WRITE : 0));
            } catch (CancelledKeyException e) {
                // the channel closed: nothing to watch
            }
        }

        private void wakeUnlessPoller() {
            if (Thread.currentThread() != poller.thread) {
                poller.selector.wakeup();
            }
        }
    }
}
