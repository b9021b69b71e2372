package io.ergon.node.internal;

import io.ergon.node.NodeClock;
import java.util.PriorityQueue;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * A node's timers when its clock is not real time (a test's manual clock): each waits, in deadline order, for a
 * jump of the clock past its deadline, and then runs on the thread that moved the clock.
 *
 * <p>Timers due at the same moment run in the order they were set, as the real-time executor runs them. A timer
 * cancelled before its moment never runs; it leaves the queue when its moment comes.
 */
final class ClockTimers {
    private record Timer(long due, long seq, FutureTask<Void> task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int byDue = Long.compare(due - o.due, 0); // nanoTime values compare by their difference
            return byDue != 0 ? byDue : Long.compare(seq, o.seq);
        }
    }

    private final NodeClock clock;
    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private long sequence;

    ClockTimers(NodeClock clock) {
        this.clock = clock;
    }

    /** Runs {@code action} once the clock has moved {@code delayNanos} past now; cancelling the result stops it. */
    synchronized Future<?> schedule(Runnable action, long delayNanos) {
        FutureTask<Void> task = new FutureTask<>(action, null);
        queue.add(new Timer(clock.nanoTime() + delayNanos, sequence++, task));
        return task;
    }

    /** The next timer due at or before now, taken off the queue, or null. */
    private synchronized Timer takeDue(long now) {
        Timer first = queue.peek();
        return first != null && first.due - now <= 0 ? queue.poll() : null;
    }

    /** Runs the timers due by now, in deadline order, each after {@code before} has run with its deadline. */
    void runDue(java.util.function.LongConsumer before) {
        long now = clock.nanoTime();
        Timer t;
        while ((t = takeDue(now)) != null) {
            before.accept(t.due);
            t.task.run(); // a cancelled task does nothing
        }
    }

    synchronized void clear() {
        queue.forEach(t -> t.task.cancel(false));
        queue.clear();
    }
}
