package io.ergon.node.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs process activations on a small set of worker virtual threads.
 *
 * <p>Starting a virtual thread per activation costs ~150-250 ns, a ForkJoin task ~30 ns; so instead of a thread per
 * activation, about {@code parallelism} worker virtual threads take runnable processes from a shared run queue and
 * activate them one after another. A process owns no thread while idle; a handler that blocks parks only the
 * worker it runs on, and the scheduler makes up for it:
 * <ul>
 *   <li>blocking inside Ergon (a receive, a call) is announced with {@link #blockingBegin()} /
 *       {@link #blockingEnd()}, so another worker takes over the run queue at once;</li>
 *   <li>blocking elsewhere (JDBC, {@code Thread.sleep}, a long computation) is found by a monitor thread that marks a
 *       worker stuck when it has spent {@link #STUCK_TICKS} monitor ticks (about 2 ms) in one activation while work waits, and lets
 *       another worker start.</li>
 * </ul>
 * Workers that find nothing to do spin briefly, then park until work arrives; workers above the target count retire.
 * Workers yield now and then so that other virtual threads (handlers woken from a receive) get a carrier.
 */
public final class Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Ticks an activation may take, while work waits, before its worker counts as stuck. */
    static final long STUCK_TICKS = 2;
    private static final int SPINS = 256;
    private static final int YIELD_EVERY = 64;

    private final String name;
    private final int parallelism;
    private final ConcurrentLinkedQueue<Runnable> runQueue = new ConcurrentLinkedQueue<>();
    /** Workers alive and not blocked: the ones counted against {@link #parallelism}. */
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger spinning = new AtomicInteger();
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger workerIds = new AtomicInteger();
    private final Thread monitor;
    private volatile boolean stopped;
    /** Advanced by the monitor every {@link #TICK_NANOS}; cheaper to read than the clock. Starts at 1. */
    private volatile long tick = 1;

    private static final ThreadLocal<Worker> CURRENT = new ThreadLocal<>();

    /** One worker virtual thread. Fields other than {@code thread} are written by the worker only. */
    static final class Worker {
        final Scheduler scheduler;
        Thread thread;
        /** The monitor's tick when the current activation began, 0 between activations (plain: read racily). */
        long activationTick;
        volatile boolean stuck;
        volatile boolean blocked;

        Worker(Scheduler scheduler) {
            this.scheduler = scheduler;
        }
    }

    public Scheduler(String name, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
        this.name = name;
        this.parallelism = parallelism;
        this.monitor = Thread.ofPlatform().daemon().name("ergon-scheduler-monitor-" + name).unstarted(this::watch);
        monitor.start();
    }

    public int parallelism() {
        return parallelism;
    }

    /** Queues an activation. */
    public void submit(Runnable activation) {
        runQueue.offer(activation);
        if (spinning.get() == 0) {
            signalWork();
        }
    }

    private void signalWork() {
        Worker w = idle.pollFirst();
        if (w != null) {
            LockSupport.unpark(w.thread);
            return;
        }
        int n = active.get();
        while (n < parallelism) {
            if (active.compareAndSet(n, n + 1)) {
                startWorker();
                return;
            }
            n = active.get();
        }
    }

    private void startWorker() {
        if (stopped) {
            active.decrementAndGet();
            return;
        }
        Worker w = new Worker(this);
        workers.add(w);
        w.thread = Thread.ofVirtual().name("ergon-" + name + "-worker-" + workerIds.incrementAndGet())
                .unstarted(() -> work(w));
        w.thread.start();
    }

    private void work(Worker w) {
        CURRENT.set(w);
        int sinceYield = 0;
        try {
            while (!stopped) {
                Runnable task = runQueue.poll();
                if (task != null) {
                    w.activationTick = tick;
                    try {
                        task.run();
                    } catch (Throwable t) {
                        LOG.error("an activation failed in the scheduler itself", t);
                    }
                    w.activationTick = 0;
                    if (w.stuck) {
                        w.stuck = false;
                        active.incrementAndGet();
                    }
                    if (active.get() > parallelism && retire()) {
                        return;
                    }
                    if (++sinceYield >= YIELD_EVERY) {
                        sinceYield = 0;
                        Thread.yield();
                    }
                    continue;
                }
                if (spin()) {
                    continue;
                }
                idle.addFirst(w);
                if (!runQueue.isEmpty() && idle.remove(w)) {
                    continue;
                }
                LockSupport.park(this);
                idle.remove(w);
            }
        } finally {
            workers.remove(w);
            CURRENT.remove();
        }
    }

    /** Spins a little waiting for work; true if work appeared. */
    private boolean spin() {
        spinning.incrementAndGet();
        try {
            for (int i = 0; i < SPINS; i++) {
                if (!runQueue.isEmpty()) {
                    return true;
                }
                Thread.onSpinWait();
            }
            return false;
        } finally {
            spinning.decrementAndGet();
        }
    }

    private boolean retire() {
        int n = active.get();
        while (n > parallelism) {
            if (active.compareAndSet(n, n - 1)) {
                return true;
            }
            n = active.get();
        }
        return false;
    }

    /**
     * Called on the current thread before it parks inside Ergon; returns a token for {@link #blockingEnd(Object)}.
     * On a worker, another worker takes over the run queue; elsewhere it does nothing.
     */
    public static Object blockingBegin() {
        Worker w = CURRENT.get();
        if (w == null || w.blocked) {
            return null;
        }
        w.blocked = true;
        Scheduler s = w.scheduler;
        if (w.stuck) {
            w.stuck = false;
        } else {
            s.active.decrementAndGet();
        }
        if (!s.runQueue.isEmpty()) {
            s.signalWork();
        }
        return w;
    }

    /** Ends a {@link #blockingBegin()}. */
    public static void blockingEnd(Object token) {
        if (token instanceof Worker w) {
            w.blocked = false;
            w.scheduler.active.incrementAndGet();
        }
    }

    /** Finds workers stuck in one activation while work waits, and lets another worker take their place. */
    private void watch() {
        while (!stopped) {
            LockSupport.parkNanos(this, TICK_NANOS);
            long now = ++tick;
            if (runQueue.isEmpty()) {
                continue;
            }
            for (Worker w : workers) {
                long start = w.activationTick;
                if (start != 0 && !w.stuck && !w.blocked && now - start >= STUCK_TICKS) {
                    w.stuck = true;
                    active.decrementAndGet();
                    signalWork();
                }
            }
        }
    }

    /** Stops the workers and the monitor; queued activations are dropped. */
    public void stop() {
        stopped = true;
        monitor.interrupt();
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }
}
