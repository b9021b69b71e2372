package io.ergon.node.internal;

import java.util.Arrays;

/**
 * Wake-ups held back on a thread that is not a worker and delivers messages in bursts (a distribution
 * connection's reader): the processes its deliveries make runnable are queued when it {@link #flush()}es, not
 * one by one. A process woken this way is already marked scheduled, so the rest of the burst only queues
 * messages for it, and it then drains them in one activation, instead of being woken, drained and put back to
 * sleep for each message (with the park and unpark of a worker each time). The owner flushes before it blocks
 * for more input and every few messages, which bounds the delay.
 */
public final class DeferredWakes implements AutoCloseable {
    private static final ThreadLocal<DeferredWakes> CURRENT = new ThreadLocal<>();
    private final Thread owner = Thread.currentThread();
    private Scheduler[] schedulers = new Scheduler[16];
    private Runnable[] activations = new Runnable[16];
    private int n;

    private DeferredWakes() {
    }

    /** Starts deferring the current thread's wake-ups (not a worker's: see {@link Scheduler#deferWakes()}). */
    static DeferredWakes begin() {
        DeferredWakes d = new DeferredWakes();
        CURRENT.set(d);
        return d;
    }

    /** The current thread's deferred wake-ups, or null if it does not defer them. */
    static DeferredWakes current() {
        return CURRENT.get();
    }

    void add(Scheduler s, Runnable activation) {
        if (n == activations.length) {
            schedulers = Arrays.copyOf(schedulers, n * 2);
            activations = Arrays.copyOf(activations, n * 2);
        }
        schedulers[n] = s;
        activations[n++] = activation;
    }

    /**
     * Queues every held-back activation, as {@link #flush()} does, when the owner is about to block: a worker
     * woken for them may then take the owner's carrier (on the node's own carriers), instead of waking another.
     */
    public void flushBeforeBlocking() {
        Carriers.handingOff(this::flush);
    }

    /** Queues every held-back activation; owner thread only. */
    public void flush() {
        for (int i = 0; i < n; i++) {
            schedulers[i].submit(activations[i]);
            schedulers[i] = null;
            activations[i] = null;
        }
        n = 0;
    }

    /** Flushes and stops deferring on this thread. */
    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("close DeferredWakes on the thread that opened it");
        }
        flush();
        CURRENT.remove();
    }
}
