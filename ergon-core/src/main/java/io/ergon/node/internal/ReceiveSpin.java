package io.ergon.node.internal;

import java.util.concurrent.TimeUnit;

/**
 * Spinning for a message just before a receive parks: a reply that comes within the spin costs no park and unpark.
 * On a worker it spins (only on the JDK's shared carriers, and only if nothing else waited to run when it blocked);
 * on a mailbox's own thread (main, a servlet's, a user's virtual thread) it spins for a bounded time.
 *
 * <p>Threading: called by the receiving thread only; it reads the mailbox's queue with the queue's own (volatile)
 * emptiness check, and writes nothing shared.
 */
final class ReceiveSpin {
    /**
     * Spins of a worker's receive before it parks: a few microseconds, about a round trip to a process on another
     * core. Measured with the introducing change (7458bfc, bench/run.sh, 2 cores): GenServer calls from 1 client went
     * from 335k to 0.7-1.15M/s together with the next slot, ping-pong from 0.9-5.1M to 8.4-9.3M round trips/s.
     */
    private static final int RECEIVE_SPINS = 256;
    /**
     * How long a mailbox's thread spins before it parks in a receive: about the time a worker takes to wake up and
     * answer a call on this machine kind. Without the spin, a plain thread's calls ran at 30-60k/s, a park and an
     * unpark of each side's thread per call.
     */
    private static final long THREAD_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(30);
    /**
     * Turns of the thread spin between two clock reads: {@code System.nanoTime} costs some tens of nanoseconds, a
     * spin turn a few, so the spin overshoots its bound by well under a microsecond. A power of two (a mask test).
     */
    private static final int THREAD_CLOCK_EVERY = 32;

    private ReceiveSpin() {
    }

    /**
     * Called by a process's owner after {@link Scheduler#blockingBegin()} and before it parks in a receive: if
     * nothing else waited in the run queue when it blocked, spins briefly for a message to arrive, and returns true
     * if one did. The process that {@code blockingBegin} moved from the slot to the run queue is often the one whose
     * answer the receive awaits, and another worker (which blockingBegin signalled) runs it meanwhile; a reply that
     * comes within the spin then costs no park and unpark of this virtual thread.
     */
    static boolean spinForMessage(BlockingToken token, boolean onWorker, MessageQueue mailbox, long maxNanos) {
        if (token == null && !onWorker) {
            return spinOnThread(mailbox, Math.min(maxNanos, THREAD_SPIN_NANOS));
        }
        if (!(token instanceof Worker w) || !w.maySpin || w.scheduler.carriers != null) {
            return false; // on its own carriers, the worker that will answer runs on this carrier once it parks
        }
        for (int i = 0; i < RECEIVE_SPINS; i++) {
            if (mailbox.hasQueued()) {
                return true;
            }
            if (i == RECEIVE_SPINS / 2) {
                // virtual threads are not preempted: if the process that will answer was put on this carrier,
                // spinning here would only delay it; one yield lets it run
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        return false;
    }

    /**
     * A mailbox's own thread waiting for a message, typically a call's reply that a worker on another core is
     * producing: it spins for a few tens of microseconds, so that a reply that comes within them costs no park and
     * unpark of this thread. True if a message came.
     */
    private static boolean spinOnThread(MessageQueue mailbox, long maxNanos) {
        long start = System.nanoTime();
        for (int i = 1; ; i++) {
            if (mailbox.hasQueued()) {
                return true;
            }
            // bounded in time, and never past the receive's own timeout; no yield: on a busy machine a platform
            // thread's yield hands the core to any other process for a time slice (calls from a plain thread beside
            // two CPU hogs fell to 8k/s with yields in this loop)
            if ((i & (THREAD_CLOCK_EVERY - 1)) == 0 && System.nanoTime() - start >= maxNanos) {
                return false;
            }
            Thread.onSpinWait();
        }
    }
}
