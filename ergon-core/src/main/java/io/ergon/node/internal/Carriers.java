package io.ergon.node.internal;

import io.ergon.concurrent.internal.MachineLoad;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's own carrier threads: the platform threads that its workers' virtual threads run on, apart from the JDK's
 * shared carriers.
 *
 * <p>Why a pool of its own. Virtual threads are not preempted. On the JDK's shared carriers, a few of the user's
 * virtual threads that loop without blocking (a retry loop against a dead server, a long computation) hold every
 * carrier, and Ergon's workers, a supervisor's among them, never run again until they stop. On carriers of its own,
 * Ergon's workers compete with such threads at the operating system's level, which does preempt, so a supervisor
 * gets a core within a time slice.
 *
 * <p>Why it is fast. A thread switch between two of Ergon's workers stays on one carrier: when a worker wakes
 * another (a caller that blocks for a reply wakes the worker that will run the server, the server's reply wakes the
 * caller), the woken worker goes into the current carrier's one-place {@code next} slot and runs as soon as the
 * waker parks, without waking another operating-system thread. A worker pushed out of the slot goes to the shared
 * queue and wakes an idle carrier, so independent work still spreads over the cores.
 *
 * <p>What keeps it live. The node's monitor calls {@link #watch} every tick: a carrier whose task has run for a tick
 * or more gives its slot to the shared queue, and while tasks wait and every carrier is held by a task that has run
 * for {@link #STUCK_TICKS} ticks (a handler that spins, or blocks outside Ergon where a virtual thread cannot
 * unmount), more carriers start, as many as tasks wait (up to {@link #MAX_STARTS_PER_TICK} a tick and
 * {@link #MAX_CARRIERS} in all); so do they when a high-priority process has waited a whole tick for a carrier. A
 * carrier beyond the base count leaves the pool as soon as it finishes a task while more than the base count of
 * carriers are free of long tasks (a task that merely ran long, such as code still being compiled, made it start),
 * and rests: the next carrier to start is one of the resting, and one that rests for {@link #EXTRA_IDLE_NANOS}, or
 * stays idle in the pool that long, ends.
 *
 * <p>The JDK has no public API to choose a virtual thread's carriers. {@link #create} reaches the JDK's own
 * (package-private) constructor for it, which needs {@code --add-opens java.base/java.lang=io.ergon.core} (or
 * {@code =ALL-UNNAMED} on the class path); without it, {@code create} returns null and the node's workers run on the
 * JDK's shared carriers, as they did before this class.
 *
 * <p>Why one class of some 500 lines: the carriers' slots, their shared queue, their growth and their parking are one
 * lock-free protocol over the same per-carrier fields, and its invariants (no task left with every carrier parked,
 * each task run once) are checked in one place.
 */
final class Carriers implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(Carriers.class);
    /** Ticks a carrier's task may run, while other tasks wait and no carrier is idle, before another carrier starts. */
    static final long STUCK_TICKS = 2;
    /**
     * The most carriers a node runs, base ones included. Each is a platform thread; reaching this many means that
     * this many handlers run at once without ever blocking in Ergon: past it, a waiting worker waits for one of them.
     */
    static final int MAX_CARRIERS = 256;
    /** Carriers started in one tick at most, while tasks wait behind held carriers. */
    static final int MAX_STARTS_PER_TICK = 64;
    static final long EXTRA_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * How long an idle carrier spins before it parks: some tens of microseconds, about the time a plain thread takes
     * to send its next request once it has its reply. Without it, each call from a plain thread paid for waking a
     * parked carrier (50-60k calls/s). No yields among the spins: beside CPU-bound processes, a platform thread's
     * yield gives them the core for a time slice. It reads the clock every {@link #CLOCK_EVERY} turns. None at all
     * where the machine's CPUs are contended ({@link MachineLoad}): there the spin only takes CPU time from threads
     * that wait for one, and a carrier that sleeps is woken ahead of the threads that kept running (beside the
     * suite's other jobs, at a CPU pressure near 90%: server CPU per accepted TCP connection fell by about a third,
     * calls from a plain thread rose from 80-96k to 100-150k/s).
     */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(30);
    private static final int CLOCK_EVERY = 32;
    private static final Constructor<?> BUILDER = builderConstructor();
    private static final VarHandle NEXT;
    /** Set on the thread that starts a thread while it does: the start's {@link #execute} names the thread's task. */
    private static final ThreadLocal<Mounted> STARTING = new ThreadLocal<>();
    /** On each virtual thread this pool carries: what the pool knows of it. */
    private static final ThreadLocal<Mounted> MOUNTED = new ThreadLocal<>();
    /** Set while {@link #urgently} runs: the workers it starts or unparks go to the urgent queue. */
    private static final ThreadLocal<Boolean> URGENT = new ThreadLocal<>();

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(Carrier.class, "next", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * A virtual thread this pool carries (a worker, or a connection's reader or writer): its continuation as the
     * JDK hands it to {@link #execute}, and the carrier it last ran on. Threads it wakes while it runs go into that
     * carrier's slot, unless it is {@code spreading}.
     */
    static class Mounted {
        final Carriers pool;
        /** The thread's continuation, named by its start. */
        volatile Runnable task;
        /** The carrier it last ran on (a hint, the thread's own). */
        Carrier carrier;
        /** While true, threads it wakes go to any carrier, not to the one it runs on (the thread's own). */
        boolean spreading;

        Mounted(Carriers pool) {
            this.pool = pool;
        }
    }

    /** One carrier thread. {@code running} and {@code since} are written by the carrier only. */
    static final class Carrier {
        final Thread thread;
        final boolean extra;
        /** The task running now (a worker's continuation), or null between tasks. */
        volatile Runnable running;
        /** The monitor's tick when {@link #running} began. */
        volatile long since;
        /** The task to run when the current one parks or ends; changed only by atomic swaps. */
        @SuppressWarnings("unused")
        volatile Runnable next;
        /** On the idle list: written under the idle lock, read by the parked carrier. */
        volatile boolean idle;
        /** Set by {@link #startCarrier} when it takes this resting extra carrier back into the pool. */
        volatile boolean recalled;

        Carrier(Carriers pool, String name, boolean extra) {
            this.extra = extra;
            this.thread = Thread.ofPlatform().daemon().name(name).unstarted(() -> pool.run(this));
        }
    }

    private final String name;
    private final int base;
    private final Scheduler scheduler;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** Workers woken for a high-priority process: taken before anything else. */
    private final ConcurrentLinkedQueue<Runnable> urgent = new ConcurrentLinkedQueue<>();
    /** Tasks taken from {@link #urgent} so far: the monitor tells from it whether the queue moved in a tick. */
    private final AtomicLong urgentTaken = new AtomicLong();
    /** {@link #urgentTaken} at the monitor's last tick with urgent tasks waiting, or -1; the monitor's alone. */
    private long urgentTakenLastTick = -1;
    private final CopyOnWriteArrayList<Carrier> carriers = new CopyOnWriteArrayList<>();
    /** Extra carriers out of the pool that wait to be taken back before they end ({@link #rest}). */
    private final ConcurrentLinkedDeque<Carrier> resting = new ConcurrentLinkedDeque<>();
    private final ArrayDeque<Carrier> idle = new ArrayDeque<>();
    private final ReentrantLock idleLock = new ReentrantLock();
    private volatile int idleCount;
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean stopped;

    private Carriers(String name, int base, Scheduler scheduler) {
        this.name = name;
        this.base = base;
        this.scheduler = scheduler;
    }

    /** A pool of {@code base} carriers for {@code scheduler}'s workers, or null where the JDK does not allow it. */
    static Carriers create(String name, int base, Scheduler scheduler) {
        if (BUILDER == null) {
            return null;
        }
        Carriers pool = new Carriers(name, base, scheduler);
        for (int i = 0; i < base; i++) {
            pool.startCarrier(false);
        }
        return pool;
    }

    /** Whether nodes get carriers of their own in this JVM. */
    static boolean available() {
        return BUILDER != null;
    }

    private static Constructor<?> builderConstructor() {
        if (Boolean.getBoolean("ergon.sharedCarriers")) {
            return null;
        }
        try {
            Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            Constructor<?> k = c.getDeclaredConstructor(Executor.class);
            k.setAccessible(true);
            return k;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Ergon's processes run on the JDK's shared virtual-thread carriers, because this JVM does not let "
                    + "Ergon give them carriers of their own ({}). Virtual threads of yours that loop without blocking "
                    + "can then keep Ergon's processes, supervisors included, from running, and calls between processes "
                    + "are slower. Add --add-opens java.base/java.lang=io.ergon.core to the java command (=ALL-UNNAMED "
                    + "when Ergon is on the class path).", e.toString());
            return null;
        }
    }

    /** Starts {@code body} on a new virtual thread named {@code threadName} whose carriers are this pool's. */
    Thread start(Mounted mounted, String threadName, Runnable body) {
        Thread t;
        try {
            t = ((Thread.Builder.OfVirtual) BUILDER.newInstance(this)).name(threadName).unstarted(() -> {
                MOUNTED.set(mounted);
                body.run();
            });
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a thread on Ergon's carriers", e);
        }
        if (mounted instanceof Worker w) {
            w.thread = t;
        }
        STARTING.set(mounted);
        try {
            t.start();
        } finally {
            STARTING.remove();
        }
        return t;
    }

    /**
     * Runs a worker's continuation on a carrier. Called by the JDK when a worker starts, is unparked or yields. From a
     * worker running on one of these carriers, the task goes into that carrier's slot; otherwise to the shared queue.
     */
    @Override
    public void execute(Runnable task) {
        Mounted starting = STARTING.get();
        if (starting != null && starting.task == null) {
            starting.task = task;
        }
        if (URGENT.get() != null) {
            urgent.offer(task);
            signal();
            return;
        }
        Carrier here = currentCarrier();
        if (here != null) {
            Runnable displaced = (Runnable) NEXT.getAndSet(here, task);
            if (displaced == null) {
                return;
            }
            task = displaced;
        }
        queue.offer(task);
        signal();
    }

    /** Unparks {@code t} onto any carrier: the current thread goes on running and should not hold it back. */
    static void unparkElsewhere(Thread t) {
        Mounted m = MOUNTED.get();
        if (m == null || m.spreading) {
            LockSupport.unpark(t);
            return;
        }
        m.spreading = true;
        try {
            LockSupport.unpark(t);
        } finally {
            m.spreading = false;
        }
    }

    /** Runs {@code action} so that the threads it wakes may take the current thread's carrier when it parks. */
    static void handingOff(Runnable action) {
        Mounted m = MOUNTED.get();
        if (m == null || !m.spreading) {
            action.run();
            return;
        }
        m.spreading = false;
        try {
            action.run();
        } finally {
            m.spreading = true;
        }
    }

    /** Runs {@code action} (which unparks or starts a worker) so that the worker goes ahead of every other. */
    void urgently(Runnable action) {
        URGENT.set(Boolean.TRUE);
        try {
            action.run();
        } finally {
            URGENT.remove();
        }
    }

    /** Whether workers wait for a carrier (a racy look). */
    boolean hasWaiting() {
        return !queue.isEmpty() || !urgent.isEmpty();
    }

    /** The carrier the current thread runs on, if it is a worker of this pool that may hand off. */
    private Carrier currentCarrier() {
        Mounted m = MOUNTED.get();
        if (m == null || m.pool != this || m.task == null || m.spreading) {
            return null;
        }
        return carrierOf(m);
    }

    /** The carrier running {@code w} now, or null. */
    private Carrier carrierOf(Mounted w) {
        Carrier hint = w.carrier;
        if (hint != null && hint.running == w.task) {
            return hint;
        }
        for (Carrier c : carriers) {
            if (c.running == w.task) {
                w.carrier = c;
                return c;
            }
        }
        return null;
    }

    /** Whether the carrier the current worker runs on has a task waiting for it to park. */
    boolean handOffPending() {
        Mounted w = MOUNTED.get();
        Carrier c = w == null || w.pool != this || w.task == null ? null : carrierOf(w);
        return c != null && c.next != null;
    }

    private void signal() {
        if (idleCount == 0) {
            return;
        }
        Carrier c = null;
        idleLock.lock();
        try {
            c = idle.pollFirst();
            if (c != null) {
                c.idle = false;
                idleCount = idle.size();
            }
        } finally {
            idleLock.unlock();
        }
        if (c != null) {
            LockSupport.unpark(c.thread);
        }
    }

    private void startCarrier(boolean extra) {
        Carrier back = extra ? resting.pollFirst() : null;
        if (back != null) {
            carriers.add(back);
            back.recalled = true;
            LockSupport.unpark(back.thread);
            return;
        }
        Carrier c = new Carrier(this, "ergon-" + name + "-carrier-" + ids.incrementAndGet(), extra);
        carriers.add(c);
        c.thread.start();
    }

    private Runnable take(Carrier c) {
        if (!urgent.isEmpty()) {
            Runnable r = urgent.poll();
            if (r != null) {
                urgentTaken.incrementAndGet();
                return r;
            }
        }
        if (c.next != null) {
            Runnable r = (Runnable) NEXT.getAndSet(c, null);
            if (r != null) {
                return r;
            }
        }
        return queue.poll();
    }

    private void run(Carrier c) {
        try {
            while (!stopped) {
                Runnable task = take(c);
                if (task != null) {
                    c.since = scheduler.tick();
                    c.running = task;
                    scheduler.activity();
                    try {
                        task.run();
                    } catch (Throwable t) {
                        LOG.error("a worker's continuation failed on its carrier", t);
                    }
                    c.running = null;
                    if (c.extra && unheld() > base) {
                        // the carriers it stood in for are free again: it would only share their cores
                        if (!rest(c)) {
                            return;
                        }
                    }
                    continue;
                }
                if (spin(c)) {
                    continue;
                }
                if (!parkIdle(c)) {
                    return;
                }
            }
        } finally {
            carriers.remove(c);
            // the task that ran last may have handed this carrier a worker; nothing can after running went null
            Runnable slot = (Runnable) NEXT.getAndSet(c, null);
            if (slot != null) {
                queue.offer(slot);
                signal();
            }
        }
    }

    /**
     * Takes extra carrier {@code c} out of the pool, to wait up to {@link #EXTRA_IDLE_NANOS} until
     * {@link #startCarrier} takes it back instead of starting a thread; true if it was. A node whose supervisor or
     * busy handlers made it start extra carriers now and then started and ended hundreds of threads a second when
     * each ended after one task.
     */
    private boolean rest(Carrier c) {
        carriers.remove(c);
        Runnable slot = (Runnable) NEXT.getAndSet(c, null);
        if (slot != null) {
            queue.offer(slot);
            signal();
        }
        c.recalled = false;
        resting.addFirst(c);
        long deadline = System.nanoTime() + EXTRA_IDLE_NANOS;
        while (!c.recalled) {
            long left = deadline - System.nanoTime();
            if (stopped || left <= 0) {
                if (resting.remove(c)) {
                    return false;
                }
                while (!c.recalled) { // taken back just now: the taker sets the flag next
                    Thread.onSpinWait();
                }
                break;
            }
            LockSupport.parkNanos(this, left);
        }
        return !stopped;
    }

    /** Carriers not held by a long task: idle ones, and those whose task began less than a stuck time ago. */
    private int unheld() {
        long now = scheduler.tick();
        int n = 0;
        for (Carrier c : carriers) {
            if (c.running == null || now - c.since < STUCK_TICKS) {
                n++;
            }
        }
        return n;
    }

    private boolean spin(Carrier c) {
        if (MachineLoad.saturated()) {
            return hasWaiting() || c.next != null;
        }
        long start = System.nanoTime();
        for (int i = 1; ; i++) {
            if (hasWaiting() || c.next != null) {
                return true;
            }
            if ((i & (CLOCK_EVERY - 1)) == 0 && System.nanoTime() - start >= SPIN_NANOS) {
                return false;
            }
            Thread.onSpinWait();
        }
    }

    /** Parks {@code c} until a task is signalled; false if it should end (stopped, or an extra carrier left idle). */
    private boolean parkIdle(Carrier c) {
        idleLock.lock();
        try {
            idle.addFirst(c);
            c.idle = true;
            idleCount = idle.size();
        } finally {
            idleLock.unlock();
        }
        if ((hasWaiting() || c.next != null) && removeIdle(c)) {
            return true;
        }
        long deadline = System.nanoTime() + EXTRA_IDLE_NANOS;
        while (c.idle) { // the flag, not the park permit, says whether a signaller took us off the list
            if (stopped) {
                removeIdle(c);
                return false;
            }
            if (c.extra) {
                long left = deadline - System.nanoTime();
                if (left <= 0 && removeIdle(c)) {
                    return false;
                }
                LockSupport.parkNanos(this, Math.max(left, 1));
            } else {
                LockSupport.park(this);
            }
        }
        return !stopped;
    }

    private boolean removeIdle(Carrier c) {
        idleLock.lock();
        try {
            if (!c.idle) {
                return false;
            }
            idle.remove(c);
            c.idle = false;
            idleCount = idle.size();
            return true;
        } finally {
            idleLock.unlock();
        }
    }

    /**
     * The monitor's check, once a tick: frees the slot of a carrier whose task runs long, and starts a carrier while
     * tasks wait behind carriers that are all held. True if any carrier runs a task.
     */
    boolean watch(long now) {
        boolean busy = false;
        boolean allHeld = true;
        for (Carrier c : carriers) {
            Runnable r = c.running;
            if (r == null) {
                allHeld = false;
                continue;
            }
            busy = true;
            long ran = now - c.since;
            if (ran >= 1 && c.next != null) {
                Runnable slot = (Runnable) NEXT.getAndSet(c, null);
                if (slot != null) {
                    queue.offer(slot);
                    signal();
                }
            }
            if (ran < STUCK_TICKS || c.running != r) {
                allHeld = false;
            }
        }
        if (urgentWaitedATick() && idleCount == 0 && !stopped && carriers.size() < MAX_CARRIERS) {
            startCarrier(true); // a high-priority process waited a tick for a carrier: one more, now
        }
        if (allHeld && busy && idleCount == 0 && !queue.isEmpty() && !stopped) {
            // as many as there are tasks waiting (up to a bound per tick): each may hold its carrier for good, and
            // one a tick would leave the last of a hundred spinning handlers' wake-ups waiting for a hundred ticks
            int waiting = 0;
            for (Runnable ignored : queue) {
                if (++waiting == MAX_STARTS_PER_TICK) {
                    break;
                }
            }
            for (int i = 0; i < waiting && carriers.size() < MAX_CARRIERS; i++) {
                startCarrier(true);
            }
        }
        return busy || hasWaiting();
    }

    /**
     * Whether urgent tasks waited through the whole last tick: some wait now and waited at the last tick, and no
     * carrier took one since. A carrier that frees up within the tick takes the task without a thread started for
     * it; starting one at every tick that merely saw the queue non-empty started and ended hundreds of threads a
     * second under a busy supervisor (a TCP server's, with a start and an exit per connection).
     */
    private boolean urgentWaitedATick() {
        if (urgent.isEmpty()) {
            urgentTakenLastTick = -1;
            return false;
        }
        long taken = urgentTaken.get();
        boolean waited = taken == urgentTakenLastTick;
        urgentTakenLastTick = taken;
        return waited;
    }

    /** Whether a carrier runs a task or one waits (a racy look, for the monitor). */
    boolean busy() {
        if (hasWaiting()) {
            return true;
        }
        for (Carrier c : carriers) {
            if (c.running != null || c.next != null) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return carriers.size();
    }

    void stop() {
        stopped = true;
        for (Carrier c : carriers) {
            LockSupport.unpark(c.thread);
        }
        for (Carrier c : resting) {
            LockSupport.unpark(c.thread);
        }
    }
}
