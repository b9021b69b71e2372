package io.ergon.node.internal;

/**
 * Spinning for a message just before a receive parks: a reply that comes within the spin costs no park and unpark.
 * On a worker it spins (only on the JDK's shared carriers, and only if nothing else waited to run when it blocked).
 * A mailbox's own thread (main, a servlet's, a user's virtual thread) spins only a few turns, then parks. It spun up
 * to 30 µs until 2026-12-02, when the choices were measured side by side (`Bench ergon-threads`, medians of 3):
 * <ul>
 *   <li>30 µs against 32 turns: one platform thread calling, quiet 351-410k against 400-433k calls/s, beside two CPU
 *       hogs 20-27k against 165-170k; 100 virtual threads calling, quiet 296-353k against 433-437k, busy 157-175k
 *       against 306-321k. The long spin took a core from the worker that would answer;</li>
 *   <li>no spin at all: 110-137k quiet, a park and an unpark of the calling thread for every reply;</li>
 *   <li>32 against 128 turns: quiet 260-321k against 308-312k, busy 151-157k against 99-102k.</li>
 * </ul>
 * The node's carriers spin while idle, so a request that comes soon after the last reply still finds the worker
 * awake.
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
    /** Turns a mailbox's own thread spins before it parks: a microsecond or two (see the class comment). */
    private static final int THREAD_SPINS = 32;

    private ReceiveSpin() {
    }

    /**
     * Called by a process's owner after {@link Scheduler#blockingBegin()} and before it parks in a receive: if
     * nothing else waited in the run queue when it blocked, spins briefly for a message to arrive, and returns true
     * if one did. The process that {@code blockingBegin} moved from the slot to the run queue is often the one whose
     * answer the receive awaits, and another worker (which blockingBegin signalled) runs it meanwhile; a reply that
     * comes within the spin then costs no park and unpark of this virtual thread.
     */
    static boolean spinForMessage(BlockingToken token, MessageQueue mailbox) {
        if (!(token instanceof Worker w)) {
            return spinOnThread(mailbox); // a mailbox's own thread (see the class comment)
        }
        if (!w.maySpin || w.scheduler.carriers != null) {
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
     * producing: a few turns, so that a reply already on its way costs no park and unpark. True if a message came.
     */
    private static boolean spinOnThread(MessageQueue mailbox) {
        for (int i = 0; i < THREAD_SPINS; i++) {
            if (mailbox.hasQueued()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }
}
