package io.ergon.node.spi;

/**
 * The node's scheduling services a connection's threads need: where they run, and how they cooperate with the
 * node's workers when they wake processes or wait.
 */
public interface NodeThreads {
    /** Starts a thread of the runtime's own on the node's carriers. */
    Thread startSystemThread(String name, Runnable body);

    /** Marks the current thread as one that must never wait for a busy resource (a connection's reader). */
    void markNonBlocking();

    /** True on a thread marked with {@link #markNonBlocking()}. */
    boolean isNonBlocking();

    /** Unparks {@code t} without handing it the current carrier (the caller goes on working). */
    void unparkElsewhere(Thread t);

    /**
     * Starts a wait that may take long (e.g. for a busy connection): the node may add a worker meanwhile. Close the
     * result, on the same thread, when the wait is over.
     */
    Blocking beginBlocking();

    /** Defers the wake-ups of processes this thread makes runnable, to hand them over in bursts. */
    WakeBatch deferWakes();

    /** A wait begun with {@link #beginBlocking()}. */
    interface Blocking extends AutoCloseable {
        @Override
        void close();
    }

    /** Wake-ups deferred by {@link #deferWakes()}; used and closed on the thread that opened it. */
    interface WakeBatch extends AutoCloseable {
        /** Hands over the deferred wake-ups. */
        void flush();

        /** Hands them over before this thread blocks (one of them may then take this thread's carrier). */
        void flushBeforeBlocking();

        /** Hands over what is left and stops deferring. */
        @Override
        void close();
    }
}
