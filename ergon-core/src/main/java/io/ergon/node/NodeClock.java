package io.ergon.node;

/**
 * The time a node's timers and timeouts run by: {@link Node#sendAfter sendAfter} (and so GenServer and GenStatem
 * timeouts), a process's receive and call timeouts, and its supervisors' restart-intensity windows.
 *
 * <p>{@link #system()} is real time, the default. A test's manual clock (ergon-testkit's {@code ManualTime})
 * stands still until the test moves it on, so timeout logic is tested without waiting: the node asks
 * {@link #whenAdvanced} to be told of each move, and then fires the timers and ends the waits that fell due, in the
 * order of their deadlines.
 *
 * <p>What stays on real time whatever the clock: a {@link Mailbox}'s own receives and calls (its thread is the
 * test's, which could not move the clock on while it waited), the distribution's ticks and handshakes, and the
 * node's shutdown.
 */
public interface NodeClock {
    /** Now, in nanoseconds from an arbitrary origin, as {@link System#nanoTime()}: only differences mean anything. */
    long nanoTime();

    /**
     * Asks to have {@code moved} run, on the thread that moves this clock, each time it jumps ahead; returns what
     * ends the registration (a node ends it when it stops). The system clock never jumps, and ignores it.
     */
    default AutoCloseable whenAdvanced(Runnable moved) {
        return () -> { };
    }

    /** Real time: {@link System#nanoTime()}. */
    static NodeClock system() {
        return SystemClock.INSTANCE;
    }
}
