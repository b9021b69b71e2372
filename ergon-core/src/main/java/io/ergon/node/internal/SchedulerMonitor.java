package io.ergon.node.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's clock and watchdog, one platform thread per node. Every {@link Scheduler#TICK_NANOS} it advances
 * the scheduler's tick, turns the receive-timeout wheel ({@link ReceiveTimeouts}), moves a long activation's next
 * slot to the run queue, marks a worker stuck when it has run {@link Scheduler#STUCK_TICKS} ticks in one activation
 * while work waits (so another worker starts), re-signals urgent work, and watches the carriers likewise. After
 * {@link #QUIET_TICKS} ticks with nothing running or queued it sleeps until {@link #activity()} wakes it, a
 * receive's deadline falls due, or {@link #QUIET_TICK_NANOS} pass, so an idle node costs next to nothing.
 *
 * <p>Threading: only the monitor thread writes the tick and the stuck marks it sets; it reads the workers' plain
 * {@code activationTick} racily (a stale read delays a decision by one tick). {@link #monitorAsleep} is written
 * volatile before the monitor's last look at the queues and read by whoever starts work after queueing it, so
 * at least one side sees the other.
 */
final class SchedulerMonitor {
    /**
     * Ticks with nothing running or queued before the monitor slows down to {@link #QUIET_TICK_NANOS}: 50 ms, long
     * enough that a node between bursts of requests keeps its 1 ms tick, short enough that an idle node stops
     * waking its core a thousand times a second soon after its work ends.
     */
    static final int QUIET_TICKS = 50;
    /**
     * The monitor's tick on a quiet node. Work that starts wakes it at once ({@link #activity()}), and a receive's
     * deadline shortens the sleep to itself; this bound only covers the rare start that a racy read misses on the
     * JDK's shared carriers (on the node's own, a carrier's volatile write makes the wake-up certain), where stuck
     * detection would begin up to this much later. An idle node's monitor so wakes once a second.
     */
    static final long QUIET_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Scheduler scheduler;
    private final Thread thread;
    /** Failed beats since the last report, and when that was (the monitor thread's own). */
    private long failures;
    private long lastFailureLog;
    /** Set by the monitor while it sleeps between slow ticks; cleared by whoever wakes it. */
    private volatile boolean monitorAsleep;
    /** While {@link #monitorAsleep}: the timeout-wheel tick it will wake at by itself. */
    private volatile long monitorWakeTick;

    SchedulerMonitor(Scheduler scheduler, String name) {
        this.scheduler = scheduler;
        this.thread = Thread.ofPlatform().daemon().name("ergon-scheduler-monitor-" + name).unstarted(this::watch);
    }

    void start() {
        thread.start();
    }

    void stop() {
        thread.interrupt();
    }

    /** Called after a timed receive put its deadline on the wheel: wakes the monitor if it would sleep past it. */
    void timedWaitAdded(long due) {
        if (monitorAsleep && due < monitorWakeTick) {
            activity();
        }
    }

    /** Called where work starts after a quiet spell: wakes the monitor if it sleeps between slow ticks. */
    void activity() {
        if (monitorAsleep) {
            monitorAsleep = false;
            LockSupport.unpark(thread);
        }
    }

    private void watch() {
        int quiet = 0;
        while (!scheduler.stopped) {
            try {
                quiet = beat(quiet);
            } catch (Throwable e) {
                quiet = 0;
                failed(e);
            }
        }
    }

    /**
     * A beat failed: logged (the first failure of a spell, then at most one line a second, with the count), and the
     * monitor goes on. Whatever failed, an {@link OutOfMemoryError} above all, must not end the thread that turns
     * the receive-timeout wheel and finds stuck workers: it once died that way, never restarted (issue 19).
     */
    private void failed(Throwable e) {
        failures++;
        long now = System.nanoTime();
        if (now - lastFailureLog < FAILURE_LOG_INTERVAL_NANOS && lastFailureLog != 0) {
            return;
        }
        long count = failures;
        failures = 0;
        lastFailureLog = now;
        try {
            LOG.error("the scheduler monitor of {}: a tick failed ({} time(s) since the last report); it goes on",
                    scheduler.name(), count, e);
        } catch (Throwable ignored) {
            // not even the memory to log it: go on all the same
        }
        LockSupport.parkNanos(this, Scheduler.TICK_NANOS); // no faster than a tick, whatever keeps failing
    }

    /** One tick of the monitor (see the class comment); returns the count of quiet ticks so far. */
    private int beat(int quiet) {
        Scheduler s = scheduler;
        ReceiveTimeouts timeouts = s.timeouts();
        Carriers carriers = s.carriers;
        if (quiet >= QUIET_TICKS) {
            sleepQuietly();
        } else {
            LockSupport.parkNanos(this, Scheduler.TICK_NANOS);
        }
        timeouts.expire(timeouts.nowTick());
        ReceiveTimeouts threadTimeouts = s.threadTimeouts();
        if (threadTimeouts != timeouts) {
            threadTimeouts.expire(threadTimeouts.nowTick());
        }
        long now = s.advanceTick();
        boolean busy = carriers != null && carriers.watch(now);
        for (Worker w : s.pool.workers) {
            long start = w.activationTick;
            if (start != 0) {
                busy = true;
                if (now - start >= 1) {
                    s.flushSlot(w); // a long activation woke a process: let another worker run it
                }
            }
        }
        if (!s.urgentQueue.isEmpty()) {
            busy = true;
            s.pool.signalUrgent(); // the worker found for it last time may itself wait for a carrier
        }
        if (!s.runQueue.isEmpty()) {
            busy = true;
            for (Worker w : s.pool.workers) {
                long start = w.activationTick;
                if (start != 0 && !w.stuck && !w.blocked && now - start >= Scheduler.STUCK_TICKS) {
                    w.stuck = true;
                    s.pool.active.decrementAndGet();
                    s.pool.signalWork();
                }
            }
        }
        return busy ? 0 : quiet + 1;
    }

    /** Sleeps {@link #QUIET_TICK_NANOS}, or less if a receive's deadline falls due sooner, unless work is about. */
    private void sleepQuietly() {
        ReceiveTimeouts timeouts = scheduler.threadTimeouts(); // a manual clock's wheel is woken by its jumps
        long nowNanos = System.nanoTime();
        long nowTick = timeouts.tickAt(nowNanos);
        long limit = nowTick + QUIET_TICK_NANOS / ReceiveTimeouts.SLOT_NANOS;
        monitorWakeTick = limit;
        monitorAsleep = true;
        long due = timeouts.nextBusySlot(nowTick, limit);
        if (due >= 0) {
            monitorWakeTick = due;
        }
        // a receive that added a deadline before monitorWakeTick was lowered may have seen the higher one: look again
        long again = timeouts.nextBusySlot(nowTick, monitorWakeTick);
        if (again >= 0 && again < monitorWakeTick) {
            monitorWakeTick = again;
        }
        if (!busy()) {
            long sleep = (monitorWakeTick - nowTick) * ReceiveTimeouts.SLOT_NANOS;
            LockSupport.parkNanos(this, Math.max(sleep, 1));
        }
        monitorAsleep = false;
    }

    /** Whether an activation runs or waits, as far as a racy look can tell. */
    private boolean busy() {
        Scheduler s = scheduler;
        if (!s.runQueue.isEmpty() || !s.urgentQueue.isEmpty() || (s.carriers != null && s.carriers.busy())) {
            return true;
        }
        for (Worker w : s.pool.workers) {
            if (w.activationTick != 0) {
                return true;
            }
        }
        return false;
    }
}
