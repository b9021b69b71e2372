package io.ergon.net.internal;

import io.ergon.node.spi.NodeThreads;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Erlang's busy distribution port for one connection: counts the bytes queued and not yet written, and suspends a
 * sender while more than the limit wait, until the writer has drained them to half the limit or the connection
 * closed. A process that sends faster than the peer reads so waits instead of the queue growing without end.
 */
final class BusyGate {
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notBusy = lock.newCondition();
    private final NodeThreads threads;
    private volatile boolean waiters;
    private volatile boolean released;

    BusyGate(NodeThreads threads) {
        this.threads = threads;
    }

    /** {@code bytes} were queued. */
    void queued(int bytes) {
        queuedBytes.addAndGet(bytes);
    }

    /** {@code bytes} were written; wakes the waiting senders once at most {@code limit / 2} remain queued. */
    void written(int bytes, long limit) {
        if (queuedBytes.addAndGet(-bytes) <= limit / 2) {
            wakeWaiters();
        }
    }

    /** True while more than {@code limit} bytes wait to be written. */
    boolean isBusy(long limit) {
        return queuedBytes.get() > limit;
    }

    /** Waits while more than {@code limit} bytes are queued, until half the limit remain or {@link #release()}. */
    void awaitNotBusy(long limit) {
        if (queuedBytes.get() <= limit) {
            return;
        }
        NodeThreads.Blocking blocking = threads.beginBlocking();
        lock.lock();
        try {
            while (queuedBytes.get() > limit / 2 && !released) {
                waiters = true;
                notBusy.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
            blocking.close();
        }
    }

    /** The connection closed: nobody waits any more, now or later. */
    void release() {
        released = true;
        waiters = true;
        wakeWaiters();
    }

    private void wakeWaiters() {
        if (waiters) {
            lock.lock();
            try {
                waiters = false;
                notBusy.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
