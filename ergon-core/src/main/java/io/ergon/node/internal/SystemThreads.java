package io.ergon.node.internal;

/**
 * Marks the runtime's own threads that must never wait for a busy resource on a process's behalf: a node's timer
 * thread and its connections' readers (a reader also answers for the node, and must go on reading whatever
 * happens). Process threads and users' threads may wait; these may not.
 */
public final class SystemThreads {
    private static final ThreadLocal<Boolean> NON_BLOCKING = new ThreadLocal<>();

    private SystemThreads() {
    }

    /** Marks the current thread as one that must never wait. */
    public static void markNonBlocking() {
        NON_BLOCKING.set(Boolean.TRUE);
    }

    /** True on a thread marked with {@link #markNonBlocking()}. */
    public static boolean isNonBlocking() {
        return NON_BLOCKING.get() != null;
    }
}
