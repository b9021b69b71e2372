package io.ergon.node.internal;

import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A scheduler's workers: how many are active (counted against its parallelism), the idle ones parked until work
 * comes, the spares kept for reuse, and how a worker is found, started, parked or retired. The policy of what a
 * worker runs is {@link Scheduler}'s; this holds only who runs.
 */
final class WorkerPool {
    private final Scheduler scheduler;
    /** Workers alive and not blocked: the ones counted against {@link Scheduler#parallelism()}. */
    final AtomicInteger active = new AtomicInteger();
    /**
     * Parked workers, most recent first, guarded by {@link #idleLock}. A lock rather than a lock-free deque: workers
     * park and unpark thousands of times a second and {@code ConcurrentLinkedDeque.remove} left dead nodes that
     * {@code addFirst} then walked (30% of a call benchmark's samples); the lock is taken only on the way to or from
     * a park, or by a submitter that saw {@link #idleCount} above zero.
     */
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();
    private final ReentrantLock idleLock = new ReentrantLock();
    /**
     * The size of {@link #idle}, written under the lock. A worker publishes itself here and then re-reads the run
     * queue; a submitter offers to the run queue and then reads this: both are volatile accesses, so at least one
     * side sees the other and no work is left with every worker parked.
     */
    private volatile int idleCount;
    /**
     * Retired workers kept for reuse, not counted in {@link #active}, guarded by {@link #idleLock}. A receive that
     * blocks lets another worker start, and when it resumes a worker retires: without spares that started a new
     * virtual thread every few calls (125,000 in a 2M-call benchmark).
     */
    private final ArrayDeque<Worker> spares = new ArrayDeque<>();
    /**
     * Spares kept at most: with them the 2M-call benchmark started 4 workers instead of 125,000 (7722e92). A spare is
     * a parked virtual thread (a few hundred bytes); 64 covers as many calls blocked at once as a busy node sees,
     * and the rest end.
     */
    private static final int MAX_SPARES = 64;
    final Set<Worker> workers = ConcurrentHashMap.newKeySet();
    /**
     * Messages handled in the turns of workers that have ended, and the lock under which a worker's count moves here
     * as it leaves {@link #workers}, so that a sum over both never counts it twice nor misses it (both are rare: a
     * worker ends, a snapshot is taken).
     */
    private long endedHandled;
    private final ReentrantLock countLock = new ReentrantLock();
    private final AtomicInteger workerIds = new AtomicInteger();

    WorkerPool(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Worker {@code w} has ended: it leaves the set, its count of messages stays with the pool's. */
    void remove(Worker w) {
        countLock.lock();
        try {
            if (workers.remove(w)) {
                endedHandled += w.handled();
            }
        } finally {
            countLock.unlock();
        }
    }

    /** Messages handled in the turns of this pool's workers, alive and ended. */
    long messagesHandled() {
        countLock.lock();
        try {
            long sum = endedHandled;
            for (Worker w : workers) {
                sum += w.handled();
            }
            return sum;
        } finally {
            countLock.unlock();
        }
    }

    /** Gets a worker going for work just queued: an idle one, else a spare or a new one below the target count. */
    void signalWork() {
        Worker w = idleCount == 0 ? null : popIdle();
        if (w != null) {
            LockSupport.unpark(w.thread);
            return;
        }
        int n = active.get();
        while (n < scheduler.parallelism()) {
            if (active.compareAndSet(n, n + 1)) {
                Worker spare = popSpare();
                if (spare != null) {
                    LockSupport.unpark(spare.thread);
                } else {
                    startWorker();
                }
                return;
            }
            n = active.get();
        }
    }

    /**
     * Finds a worker for a high-priority activation at once: an idle one, else a worker beyond the target count
     * (it retires once the count allows); its thread goes ahead on the carriers too.
     */
    void signalUrgent() {
        Worker w = idleCount == 0 ? null : popIdle();
        if (w != null) {
            if (scheduler.carriers != null) {
                scheduler.carriers.urgently(() -> LockSupport.unpark(w.thread));
            } else {
                LockSupport.unpark(w.thread);
            }
            return;
        }
        active.incrementAndGet();
        Worker spare = popSpare();
        if (spare != null) {
            if (scheduler.carriers != null) {
                scheduler.carriers.urgently(() -> LockSupport.unpark(spare.thread));
            } else {
                LockSupport.unpark(spare.thread);
            }
        } else if (scheduler.carriers != null) {
            scheduler.carriers.urgently(this::startWorker);
        } else {
            startWorker();
        }
    }

    Worker popSpare() {
        idleLock.lock();
        try {
            Worker w = spares.pollFirst();
            if (w != null) {
                w.spare = false;
            }
            return w;
        } finally {
            idleLock.unlock();
        }
    }

    /**
     * A worker that just retired (it is no longer counted in {@link #active}) parks as a spare until
     * {@link #signalWork()} counts it in again and wakes it; true then. False if the pool of spares is full or the
     * scheduler stopped: the worker ends.
     */
    boolean becomeSpare(Worker w) {
        idleLock.lock();
        try {
            if (scheduler.stopped || spares.size() >= MAX_SPARES) {
                return false;
            }
            spares.addFirst(w);
            w.spare = true;
        } finally {
            idleLock.unlock();
        }
        while (w.spare) { // the flag, not the park permit: see the idle loop in work()
            if (scheduler.stopped) {
                idleLock.lock();
                try {
                    if (w.spare) {
                        spares.remove(w);
                        w.spare = false;
                        return false;
                    }
                } finally {
                    idleLock.unlock();
                }
                break;
            }
            LockSupport.park(scheduler);
        }
        return true;
    }

    void startWorker() {
        if (scheduler.stopped) {
            active.decrementAndGet();
            return;
        }
        Worker w = new Worker(scheduler);
        workers.add(w);
        String threadName = "ergon-" + scheduler.name() + "-worker-" + workerIds.incrementAndGet();
        if (scheduler.carriers != null) {
            scheduler.carriers.start(w, threadName, () -> scheduler.work(w));
        } else {
            w.thread = Thread.ofVirtual().name(threadName).unstarted(() -> scheduler.work(w));
            w.thread.start();
        }
    }

    void pushIdle(Worker w) {
        idleLock.lock();
        try {
            idle.addFirst(w);
            w.idle = true;
            idleCount = idle.size();
        } finally {
            idleLock.unlock();
        }
    }

    Worker popIdle() {
        idleLock.lock();
        try {
            Worker w = idle.pollFirst();
            if (w != null) {
                w.idle = false;
                idleCount = idle.size();
            }
            return w;
        } finally {
            idleLock.unlock();
        }
    }

    /** Takes {@code w} off the idle list; false if a submitter already took it (and so unparks it). */
    boolean removeIdle(Worker w) {
        idleLock.lock();
        try {
            if (!w.idle) {
                return false;
            }
            idle.remove(w);
            w.idle = false;
            idleCount = idle.size();
            return true;
        } finally {
            idleLock.unlock();
        }
    }

    boolean retire() {
        int n = active.get();
        while (n > scheduler.parallelism()) {
            if (active.compareAndSet(n, n - 1)) {
                return true;
            }
            n = active.get();
        }
        return false;
    }
}
