package io.ergon.node.internal;

import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs process activations on a small set of worker virtual threads.
 *
 * <p>Starting a virtual thread per activation costs ~150-250 ns, a ForkJoin task ~30 ns; so instead of a thread per
 * activation, about {@code parallelism} worker virtual threads take runnable processes from a shared run queue and
 * activate them one after another. A process owns no thread while idle, nor while it waits in a receive or a call:
 * the worker runs its task loop in a continuation, which such a wait suspends ({@link Continuations}), and goes on
 * with other processes at once. The same worker resumes it ({@link #resumeAtHome}): compiled code may keep the
 * current {@code Thread} across the suspension, so it must go on on the same one. A handler that blocks otherwise parks only the worker it runs on, and the scheduler
 * makes up for it:
 * <ul>
 *   <li>blocking inside Ergon where it cannot suspend (no continuations in this JVM, a nested caller-runs
 *       activation) is announced with {@link #blockingBegin()} / {@link #blockingEnd(BlockingToken)}, so another
 *       worker takes over the run queue at once;</li>
 *   <li>blocking elsewhere (JDBC, {@code Thread.sleep}, a long computation) is found by a monitor thread that marks a
 *       worker stuck when it has spent {@link #STUCK_TICKS} monitor ticks (about 2 ms) in one activation while work waits, and lets
 *       another worker start.</li>
 * </ul>
 * Workers that find nothing to do spin briefly, then park until work arrives; workers above the target count retire.
 * Workers yield now and then so that other virtual threads (handlers woken from a receive) get a carrier.
 *
 * <p><b>Carriers.</b> Where the JVM allows it, the workers' virtual threads run on the node's own carrier threads
 * ({@link Carriers}), which hand a woken worker the waker's carrier and which user virtual threads cannot hold. A
 * process that runs a millisecond at a stretch gives up its carrier at Ergon's operations when others wait
 * ({@link #reductionPoint()}); the monitor makes up for those that never call Ergon. A receive's deadline waits on
 * the monitor's timer wheel ({@link ReceiveTimeouts}). The monitor ticks every {@link #TICK_NANOS} while something
 * runs and sleeps while nothing does.
 *
 * <p><b>Priority.</b> Activations of high-priority processes (supervisors) bypass the slot and the run queue, and a
 * worker and a carrier are found for them at once ({@link #signalUrgent()}).
 *
 * <p><b>The next slot.</b> A process woken by a message sent from an activation on a worker ({@link #wake}) goes to
 * that worker's one-place {@code next} slot instead of the shared run queue, and the worker runs it as soon as the
 * current activation ends (Go's {@code runnext}). Request/reply pairs then stay on one core, hot in its cache, with
 * no shared-queue traffic and no wake-up of another worker. What keeps this safe:
 * <ul>
 *   <li>a process pushed out of the slot by a newer one goes to the run queue, and other workers are signalled;</li>
 *   <li>a worker runs at most {@link #SLOT_RUNS} activations in a row from its slot before it puts the slot's process
 *       on the run queue and takes the queue's head, so the shared queue is never starved;</li>
 *   <li>a worker that blocks in Ergon empties its slot onto the run queue first; the monitor does the same for a
 *       worker whose activation has run for a tick or more, so a long handler delays the process it woke by about
 *       a millisecond at most, and never strands it.</li>
 * </ul>
 * Processes that yield after a full batch always go to the back of the run queue.
 *
 * <p><b>Caller runs.</b> A call that has just put an idle server in the slot may take it back out and run it nested
 * in its own activation ({@link #runHere}), when the server declared that its handlers are short and never wait:
 * the reply is then queued before the caller would have blocked, with no thread switch at all.
 */
public final class Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /**
     * The monitor's tick while anything runs: the unit of slices, stuck detection and receive deadlines (the
     * timeout wheel's slot is the same millisecond, {@link ReceiveTimeouts#SLOT_NANOS}). Erlang's timers have the
     * same resolution; a finer tick would cost a platform thread's wake-up more often on a busy node only.
     */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Ticks a process may run between two yields of its carrier at {@link #reductionPoint()}s: one, the shortest
     * the tick can tell; FairnessTest (100 processes retrying calls without pause beside a supervisor's restart,
     * each restart within 1 s in 50 of 50 trials) holds with it (262d714).
     */
    static final long SLICE_TICKS = 1;
    /**
     * Ticks an activation may take, while work waits, before its worker counts as stuck. Two, not one: the start is
     * read from the tick, so an activation that began just before a tick would look one tick old after microseconds;
     * two means it has run at least one full tick (the README's "after 2 ms ... the node starts another worker").
     */
    static final long STUCK_TICKS = 2;
    /**
     * Spins of an idle worker before it parks: a few microseconds, within which the next message of a ping-pong or
     * a call's reply usually makes work, which the worker then takes with no park and unpark (a park/unpark pair of
     * a virtual thread costs a few microseconds too, so a longer spin would not pay).
     */
    private static final int SPINS = 256;
    /**
     * Activations between two yields of a busy worker, so that other virtual threads on its carrier (a handler woken
     * from a receive, a connection's reader) get to run. No measurement recorded: 64 short activations take some
     * tens of microseconds, which bounds the wait of those threads, while one yield per 64 keeps its cost small.
     */
    private static final int YIELD_EVERY = 64;
    /**
     * Activations a worker may take in a row from its next slot before it turns to the run queue: bounds how long
     * a request/reply pair that keeps waking each other into the slot holds back the shared queue (SchedulerSlotTest
     * runs such a pair against the run queue). With the slot, 1-client GenServer calls went from 335k to
     * 0.7-1.15M/s and ping-pong from 0.9-5.1M to 8.4-9.3M round trips/s (7458bfc, bench/run.sh, 2 cores).
     */
    static final int SLOT_RUNS = 128;
    /**
     * How deep {@link #runHere} nests activations (a call from a server its caller runs, and so on): bounds the
     * stack, and how long a caller runs handlers of others during which it takes no exit signal. Depth 1 already
     * gives the gain (1.38M vs 0.54M calls/s with one client, 041b30e); 4 covers a call chain of a few servers.
     */
    static final int MAX_NESTED = 4;
    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(Worker.class, "next", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final int parallelism;
    final ConcurrentLinkedQueue<Runnable> runQueue = new ConcurrentLinkedQueue<>();
    /** Activations of high-priority processes: taken before the slot and the run queue. */
    final ConcurrentLinkedQueue<Runnable> urgentQueue = new ConcurrentLinkedQueue<>();
    /** Workers alive and not blocked: the ones counted against {@link #parallelism}. */
    final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger spinning = new AtomicInteger();
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
    private final AtomicInteger workerIds = new AtomicInteger();
    private final SchedulerMonitor monitor;
    volatile boolean stopped;
    /** Advanced by the monitor every {@link #TICK_NANOS}; cheaper to read than the clock. Starts at 1. */
    private volatile long tick = 1;

    private static final ThreadLocal<Worker> CURRENT = new ThreadLocal<>();
    /** The node's own carriers for its workers, or null where the JDK does not allow them (see {@link Carriers}). */
    final Carriers carriers;
    private final ReceiveTimeouts timeouts = new ReceiveTimeouts();

    /** One worker virtual thread. Fields other than {@code thread} are written by the worker only. */
    static final class Worker extends Carriers.Mounted implements BlockingToken {
        final Scheduler scheduler;
        Thread thread;
        /** The monitor's tick when the current activation began, 0 between activations (plain: read racily). */
        long activationTick;
        volatile boolean stuck;
        volatile boolean blocked;
        /**
         * The process to run when the current activation ends, or null. The worker puts and takes it; the monitor and
         * the worker itself (when it blocks) move it to the run queue. Every change is an atomic swap, so each
         * process put here is taken exactly once.
         */
        @SuppressWarnings("unused")
        volatile Runnable next;
        /** Whether a receive that blocks may spin first: nothing else waited to run (worker only). */
        boolean maySpin;
        /** On the spare list: written under the scheduler's idle lock, read by the parked worker. */
        volatile boolean spare;
        /** On the idle list: written under the scheduler's idle lock, read by the parked worker. */
        volatile boolean idle;
        /** Activations taken from {@code next} in a row (worker only). */
        int slotRuns;
        /** Activations nested in the current one by {@link #runHere} (worker only). */
        int nested;
        /** The tick at which its current slice began: the activation's start, or its last yield (worker only). */
        long sliceTick;
        /** The task loop's continuation while the worker runs one, or null (worker only; see {@link Continuations}). */
        Object cont;
        /** The process whose receive is suspending {@link #cont}, set just before it suspends (worker only). */
        ProcessCore suspending;
        /**
         * Task loops suspended on this worker whose process a delivery has made runnable again: only this worker
         * may resume them (see {@link #resumeAtHome}). Any thread offers; the worker polls.
         */
        final ConcurrentLinkedQueue<TaskLoop> resumable = new ConcurrentLinkedQueue<>();
        /** Task loops suspended on this worker and not yet resumed: it does not end while it has any (worker only). */
        int homed;

        Worker(Scheduler scheduler) {
            super(scheduler.carriers);
            this.scheduler = scheduler;
        }
    }

    public Scheduler(String name, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
        this.name = name;
        this.parallelism = parallelism;
        this.monitor = new SchedulerMonitor(this, name); // before the carriers, which report activity to it
        this.carriers = Carriers.create(name, parallelism, this);
        monitor.start();
    }

    public int parallelism() {
        return parallelism;
    }

    /**
     * Unparks a thread of the runtime's own (a connection's writer) from a process that goes on running after it
     * (a sender): the thread takes any carrier rather than wait for the sender's to be free.
     */
    public static void unparkElsewhere(Thread t) {
        Carriers.unparkElsewhere(t);
    }

    /** Whether this scheduler's workers run on carriers of their own (see {@link Carriers}). */
    public boolean ownCarriers() {
        return carriers != null;
    }

    /** Platform threads that carry this scheduler's workers now (0 on the JDK's shared carriers). */
    public int carrierCount() {
        return carriers == null ? 0 : carriers.size();
    }

    /**
     * Starts a virtual thread of the runtime's own (a connection's reader or writer) on the node's carriers, where
     * the workers it wakes may take its carrier when it parks, and which it wakes in turn without waking another
     * thread; on the JDK's shared carriers where the node has none of its own.
     */
    public Thread startSystemThread(String threadName, Runnable body) {
        if (carriers == null) {
            return Thread.ofVirtual().name(threadName).start(body);
        }
        Carriers.Mounted m = new Carriers.Mounted(carriers);
        m.spreading = true; // it goes on running after it wakes a worker, unless it says otherwise (DeferredWakes)
        return carriers.start(m, threadName, body);
    }

    long tick() {
        return tick;
    }

    /** Advances the tick by one and returns the new value; the monitor thread only (the single writer). */
    long advanceTick() {
        long next = tick + 1;
        tick = next;
        return next;
    }

    ReceiveTimeouts timeouts() {
        return timeouts;
    }

    /** Called after a timed receive put its deadline on the wheel: wakes the monitor if it would sleep past it. */
    void timedWaitAdded(long due) {
        monitor.timedWaitAdded(due);
    }

    /** Called where work starts after a quiet spell: wakes the monitor if it sleeps between slow ticks. */
    void activity() {
        monitor.activity();
    }

    /** Queues an activation at the back of the run queue. */
    public void submit(Runnable activation) {
        if (activation instanceof ProcessCore p && p.hasSuspended()) {
            resumeAtHome(p);
            return;
        }
        if (activation instanceof ProcessCore p && p.highPriority) {
            urgentQueue.offer(activation);
            signalUrgent();
            return;
        }
        runQueue.offer(activation);
        if (spinning.get() == 0) {
            Worker w = CURRENT.get();
            if (w != null && !w.blocked && carriers != null) {
                // this worker goes on running: a worker it wakes should take another core, not wait for this one
                w.spreading = true;
                try {
                    signalWork();
                } finally {
                    w.spreading = false;
                }
            } else {
                signalWork();
            }
        }
    }

    /**
     * Queues the activation of a process that a message has just made runnable: into the current worker's next slot
     * when the caller is an activation of this scheduler, else onto the run queue. No other worker is woken for a
     * process put in the slot (the current worker runs it next); a process it displaces goes to the run queue.
     */
    public void wake(Runnable activation) {
        if (activation instanceof ProcessCore p && p.hasSuspended()) {
            resumeAtHome(p);
            return;
        }
        Worker w = CURRENT.get();
        if (w == null || w.scheduler != this || w.blocked
                || (activation instanceof ProcessCore p && p.highPriority)) {
            DeferredWakes d = w == null ? DEFERRED.get() : null;
            if (d != null) {
                d.add(this, activation);
            } else {
                submit(activation);
            }
            return;
        }
        Runnable displaced = (Runnable) NEXT.getAndSet(w, activation);
        if (displaced != null) {
            submit(displaced);
        }
    }

    private static final ThreadLocal<DeferredWakes> DEFERRED = new ThreadLocal<>();

    /**
     * Wake-ups held back on a thread that is not a worker and delivers messages in bursts (a distribution
     * connection's reader): the processes its deliveries make runnable are queued when it {@link #flush()}es, not
     * one by one. A process woken this way is already marked scheduled, so the rest of the burst only queues
     * messages for it, and it then drains them in one activation, instead of being woken, drained and put back to
     * sleep for each message (with the park and unpark of a worker each time). The owner flushes before it blocks
     * for more input and every few messages, which bounds the delay.
     */
    public static final class DeferredWakes implements AutoCloseable {
        private final Thread owner = Thread.currentThread();
        private Scheduler[] schedulers = new Scheduler[16];
        private Runnable[] activations = new Runnable[16];
        private int n;

        private DeferredWakes() {
        }

        void add(Scheduler s, Runnable activation) {
            if (n == activations.length) {
                schedulers = java.util.Arrays.copyOf(schedulers, n * 2);
                activations = java.util.Arrays.copyOf(activations, n * 2);
            }
            schedulers[n] = s;
            activations[n++] = activation;
        }

        /**
         * Queues every held-back activation, as {@link #flush()} does, when the owner is about to block: a worker
         * woken for them may then take the owner's carrier (on the node's own carriers), instead of waking another.
         */
        public void flushBeforeBlocking() {
            Carriers.handingOff(this::flush);
        }

        /** Queues every held-back activation; owner thread only. */
        public void flush() {
            for (int i = 0; i < n; i++) {
                schedulers[i].submit(activations[i]);
                schedulers[i] = null;
                activations[i] = null;
            }
            n = 0;
        }

        /** Flushes and stops deferring on this thread. */
        @Override
        public void close() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("close DeferredWakes on the thread that opened it");
            }
            flush();
            DEFERRED.remove();
        }
    }

    /** Starts deferring this thread's wake-ups (see {@link DeferredWakes}); close the result to stop. */
    public static DeferredWakes deferWakes() {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("a worker does not defer its wake-ups");
        }
        DeferredWakes d = new DeferredWakes();
        DEFERRED.set(d);
        return d;
    }

    /**
     * Runs {@code activation} now, nested in the current one, if the current thread is a worker whose next slot
     * holds it: a process that the current activation has just woken, which this worker would run next anyway.
     * A process calling a server that allows it ({@code Actor.callerRuns}) so gets its reply without a thread
     * switch. At most {@link #MAX_NESTED} deep; true if it ran.
     */
    static boolean runHere(Runnable activation) {
        Worker w = CURRENT.get();
        if (w == null || w.blocked || w.nested >= MAX_NESTED || w.next != activation
                || (activation instanceof ProcessCore p && p.hasSuspended())
                || !NEXT.compareAndSet(w, activation, null)) {
            return false;
        }
        w.nested++;
        try {
            activate(activation);
        } finally {
            w.nested--;
        }
        return true;
    }

    /**
     * Resumes task loop {@code loop}, which a process's receive suspended on worker {@code w} (the current thread's:
     * its home), nested in the current task loop, until the process's activation ends or it suspends again.
     */
    private static void resume(Worker w, TaskLoop loop) {
        while (true) {
            try {
                Continuations.run(loop.cont);
            } catch (Throwable t) {
                LOG.error("an activation failed in the scheduler itself", t);
                return;
            }
            if (Continuations.isDone(loop.cont) || parked(w, loop)) {
                return; // ended, or the delivery that ends its wait sends it home to be resumed
            }
        }
    }

    /**
     * After task loop {@code loop} came back unfinished to worker {@code w}: true if the process whose receive
     * suspended it now waits, suspended, for a delivery; false if {@code loop} is to be run on at once, because a
     * message came while it suspended, or because no receive suspended it (which would be a fault of the
     * scheduler's: then nothing else would resume it).
     */
    private static boolean parked(Worker w, TaskLoop loop) {
        ProcessCore waiting = w.suspending;
        w.suspending = null;
        if (waiting == null) {
            unexplainedYield(loop.cont);
            return false;
        }
        if (waiting.suspended(loop)) {
            w.homed++;
            return true;
        }
        return false;
    }

    /** Continuations that came back unfinished with no receive having suspended them (see {@link #unexplainedYield}). */
    private static final java.util.concurrent.atomic.AtomicLong UNEXPLAINED_YIELDS =
            new java.util.concurrent.atomic.AtomicLong();

    /**
     * A continuation came back to its worker unfinished with no receive having suspended it. Only {@link #suspend}
     * yields Ergon's scope, so this is a fault of the scheduler's. It was seen while suspended task loops were
     * resumed by any worker: compiled code keeps {@code Thread.currentThread()} across the yield (C2 treats it as
     * constant across calls, which holds for a virtual thread's own continuation, not for one moved to another
     * thread), so after such a move {@link #CURRENT} named the first worker and the note went there. Loops are now
     * resumed only on the worker that suspended them ({@link #resumeAtHome}); this is kept as a guard: the worker
     * runs the loop on, the one way not to lose the process, and the fault is logged at the first occurrence and every
     * 100,000th after.
     */
    /** How many times a continuation came back with no receive having suspended it: 0 unless the scheduler errs. */
    public static long unexplainedYields() {
        return UNEXPLAINED_YIELDS.get();
    }

    private static void unexplainedYield(Object c) {
        long n = UNEXPLAINED_YIELDS.incrementAndGet();
        if (n == 1 || n % 100_000 == 0) {
            LOG.error("a process's continuation returned to worker {} unfinished without a receive suspending it "
                    + "({} times so far); resuming it; its frames: {}", Thread.currentThread().getName(), n,
                    Continuations.frames(c), new IllegalStateException("unexplained yield of " + c));
        }
    }

    /**
     * Sends process {@code p}, whose receive suspended a task loop and which a delivery has just made runnable,
     * to the worker that suspended the loop, to be resumed there and nowhere else: code compiled into the loop's
     * frames may keep the {@code Thread} it ran on across the suspension (see {@link #unexplainedYield}), so on
     * another thread it would use the first one's thread locals, its locks' ownership and its worker. The home
     * runs it after its current activation, or is woken for it if it is parked.
     */
    void resumeAtHome(ProcessCore p) {
        TaskLoop loop = (TaskLoop) p.takeSuspended();
        Worker home = loop.worker;
        home.resumable.offer(loop);
        if (home != CURRENT.get() && home.idle && removeIdle(home)) {
            LockSupport.unpark(home.thread);
        }
    }

    /**
     * Whether a receive on the current thread may suspend its process's continuation instead of parking: the thread
     * is a worker of a scheduler running an activation in a continuation, not nested in another's
     * ({@link #runHere}, whose frames belong to this worker), and not inside a blocking section; and the process is
     * not of high priority: a suspended process is resumed only on its worker, which may meanwhile be held by a
     * handler that does not return, and a supervisor must not wait for that (it parks instead, and another worker
     * takes over).
     */
    static boolean maySuspend(ProcessCore p) {
        Worker w = CURRENT.get();
        return w != null && w.cont != null && w.nested == 0 && !w.blocked && !p.highPriority;
    }

    /**
     * Suspends the current activation's continuation for {@code p}'s receive (after {@link #maySuspend}); returns
     * when it is resumed, true, or at once, false, if the JDK cannot suspend it here.
     */
    static boolean suspend(ProcessCore p) {
        Worker w = CURRENT.get(); // the same after a resumption: a loop is resumed only on its own worker
        w.suspending = p;
        if (Continuations.suspend()) {
            return true;
        }
        if (w.suspending == p) { // pinned, not suspended: no one else is to see the note
            w.suspending = null;
        }
        return false;
    }

    /** Runs one activation; a process's own failures end it inside, so one that escapes is the scheduler's. */
    private static void activate(Runnable activation) {
        try {
            activation.run();
        } catch (Throwable t) {
            LOG.error("an activation failed in the scheduler itself", t);
        }
    }

    /** Moves whatever is in {@code w}'s next slot to the run queue; true if there was something. */
    boolean flushSlot(Worker w) {
        if (w.next == null) {
            return false;
        }
        Runnable r = (Runnable) NEXT.getAndSet(w, null);
        if (r == null) {
            return false;
        }
        submit(r);
        return true;
    }

    /**
     * A task loop suspended on {@code w} whose process is runnable again, unless a high-priority activation waits,
     * or {@code w} has taken
     * {@link #SLOT_RUNS} in a row from its slot or from here, and the run queue has work (which then goes first once).
     */
    private TaskLoop takeResumable(Worker w) {
        if (w.resumable.isEmpty() || !urgentQueue.isEmpty() || (w.slotRuns >= SLOT_RUNS && !runQueue.isEmpty())) {
            return null;
        }
        TaskLoop loop = w.resumable.poll();
        if (loop != null) {
            w.homed--;
            w.slotRuns++;
        }
        return loop;
    }

    /** The next activation for {@code w}: its slot's, unless it took too many in a row, else the run queue's head. */
    private Runnable take(Worker w) {
        if (!urgentQueue.isEmpty()) {
            Runnable r = urgentQueue.poll();
            if (r != null) {
                return r;
            }
        }
        if (w.next != null) {
            Runnable r = (Runnable) NEXT.getAndSet(w, null);
            if (r != null) {
                if (++w.slotRuns <= SLOT_RUNS) {
                    return r;
                }
                runQueue.offer(r);
            }
        }
        w.slotRuns = 0;
        return runQueue.poll();
    }

    void signalWork() {
        Worker w = idleCount == 0 ? null : popIdle();
        if (w != null) {
            LockSupport.unpark(w.thread);
            return;
        }
        int n = active.get();
        while (n < parallelism) {
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
            if (carriers != null) {
                carriers.urgently(() -> LockSupport.unpark(w.thread));
            } else {
                LockSupport.unpark(w.thread);
            }
            return;
        }
        active.incrementAndGet();
        Worker spare = popSpare();
        if (spare != null) {
            if (carriers != null) {
                carriers.urgently(() -> LockSupport.unpark(spare.thread));
            } else {
                LockSupport.unpark(spare.thread);
            }
        } else if (carriers != null) {
            carriers.urgently(this::startWorker);
        } else {
            startWorker();
        }
    }

    /**
     * A point where a process acting on its own worker (sending, calling, receiving, spawning) may give up its
     * carrier for a moment: once it has run for {@link #SLICE_TICKS} ticks since it last did, if other workers wait
     * for a carrier. Virtual threads are not preempted, and a process that loops over Ergon's operations without
     * ever waiting (a retry loop against a dead server) would otherwise hold its carrier for as long as it loops;
     * this is Erlang's reduction count, with Ergon's operations as the reductions. A loop that never calls Ergon is
     * not reached here: the monitor gives the others another carrier instead.
     */
    public static void reductionPoint() {
        Worker w = CURRENT.get();
        if (w == null || w.blocked) {
            return;
        }
        Scheduler s = w.scheduler;
        long now = s.tick;
        if (now - w.sliceTick < SLICE_TICKS) {
            return;
        }
        w.sliceTick = now;
        if (s.carriers != null && s.carriers.hasWaiting()) {
            s.flushSlot(w);
            Thread.yield();
        }
    }

    private Worker popSpare() {
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
    private boolean becomeSpare(Worker w) {
        idleLock.lock();
        try {
            if (stopped || spares.size() >= MAX_SPARES) {
                return false;
            }
            spares.addFirst(w);
            w.spare = true;
        } finally {
            idleLock.unlock();
        }
        while (w.spare) { // the flag, not the park permit: see the idle loop in work()
            if (stopped) {
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
            LockSupport.park(this);
        }
        return true;
    }

    private void startWorker() {
        if (stopped) {
            active.decrementAndGet();
            return;
        }
        Worker w = new Worker(this);
        workers.add(w);
        String threadName = "ergon-" + name + "-worker-" + workerIds.incrementAndGet();
        if (carriers != null) {
            carriers.start(w, threadName, () -> work(w));
        } else {
            w.thread = Thread.ofVirtual().name(threadName).unstarted(() -> work(w));
            w.thread.start();
        }
    }

    /** Why a worker's task loop returned. */
    private static final int IDLE = 0;
    private static final int RETIRED = 1;
    private static final int SUSPENDED_AWAY = 2;

    private void work(Worker w) {
        CURRENT.set(w);
        try {
            while (!stopped) {
                int exit = Continuations.AVAILABLE ? runTasksInContinuation(w) : runTasks(w, null);
                if (exit == SUSPENDED_AWAY) {
                    continue; // an activation suspended the loop: a new loop goes on
                }
                if (exit == RETIRED) {
                    // only this worker fills its slot, so it stays empty while the worker is spare
                    if (!becomeSpare(w)) {
                        return;
                    }
                    continue;
                }
                if (stopped || spin(w)) {
                    continue;
                }
                pushIdle(w);
                if ((!runQueue.isEmpty() || !w.resumable.isEmpty()) && removeIdle(w)) {
                    continue;
                }
                // park until a submitter takes us off the idle list; the flag, not the park permit, says so: a
                // permit can be used up by a park inside idleLock (a worker popped while it waited for the lock
                // in removeIdle then slept forever, off the list: a call benchmark hung on it)
                while (w.idle) {
                    if (stopped) {
                        removeIdle(w);
                        break;
                    }
                    LockSupport.park(this);
                }
            }
        } finally {
            workers.remove(w);
            CURRENT.remove();
        }
    }

    /**
     * The task loop of {@link #runTasks}, run in a continuation (see {@link Continuations}). An activation that the
     * loop runs directly and that suspends in a receive suspends the loop with it: the process keeps that
     * continuation, and the worker starts a new loop. When the process is resumed, by this worker again (see
     * {@link #resumeAtHome}), nested in its loop of the time, its activation ends and the old loop sees
     * {@code suspended} and ends too.
     */
    private int runTasksInContinuation(Worker w) {
        TaskLoop loop = new TaskLoop(w);
        Object c = Continuations.create(loop);
        loop.cont = c;
        w.cont = c;
        try {
            Continuations.run(c);
        } catch (Throwable t) {
            LOG.error("a worker's task loop failed", t);
            return IDLE;
        } finally {
            w.cont = null;
        }
        if (Continuations.isDone(c)) {
            return loop.exit;
        }
        loop.suspended = true; // before the process can be resumed: published by its state change
        w.activationTick = 0;
        if (!parked(w, loop)) {
            w.cont = c;
            try {
                resume(w, loop); // a message came while it suspended
            } finally {
                w.cont = null;
            }
        }
        return SUSPENDED_AWAY;
    }

    /** A worker's task loop as a continuation's body; what a process whose receive suspended it holds. */
    private final class TaskLoop implements Runnable {
        /** The worker that runs it, and the only one that may resume it (its home, see {@link #resumeAtHome}). */
        final Worker worker;
        /** The continuation this is the body of. */
        Object cont;
        /** Set once an activation the loop ran suspended it: the loop ends when that activation does. */
        volatile boolean suspended;
        int exit;

        TaskLoop(Worker worker) {
            this.worker = worker;
        }

        @Override
        public void run() {
            exit = runTasks(worker, this);
        }
    }

    /**
     * Runs activations while there are any to take: {@link #IDLE} when there are none, {@link #RETIRED} when the
     * worker is one too many, {@link #SUSPENDED_AWAY} when {@code loop} (the continuation this runs in, or null) was
     * suspended by an activation and then resumed, nested in a later loop.
     */
    private int runTasks(Worker w, TaskLoop loop) {
        int sinceYield = 0;
        while (!stopped) {
            TaskLoop home = takeResumable(w);
            Runnable task = home == null ? take(w) : null;
            if (home == null && task == null) {
                return IDLE;
            }
            long now = tick;
            w.activationTick = now;
            w.sliceTick = now;
            activity();
            if (home != null) {
                resume(w, home);
            } else {
                activate(task);
            }
            if (loop != null && loop.suspended) {
                return SUSPENDED_AWAY; // a later loop of w's resumed this one: it goes on with w's work
            }
            w.activationTick = 0;
            if (w.stuck) {
                w.stuck = false;
                active.incrementAndGet();
            }
            if (active.get() > parallelism && w.next == null && w.homed == 0 && retire()) {
                return RETIRED;
            }
            if (++sinceYield >= YIELD_EVERY) {
                sinceYield = 0;
                Thread.yield();
            }
        }
        return IDLE;
    }

    private void pushIdle(Worker w) {
        idleLock.lock();
        try {
            idle.addFirst(w);
            w.idle = true;
            idleCount = idle.size();
        } finally {
            idleLock.unlock();
        }
    }

    private Worker popIdle() {
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
    private boolean removeIdle(Worker w) {
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

    /** Spins a little waiting for work; true if work appeared. */
    private boolean spin(Worker w) {
        spinning.incrementAndGet();
        try {
            for (int i = 0; i < SPINS; i++) {
                if (!runQueue.isEmpty() || !urgentQueue.isEmpty() || !w.resumable.isEmpty()) {
                    return true;
                }
                if (carriers != null && (carriers.hasWaiting() || carriers.handOffPending())) {
                    return false; // a worker waits for this carrier: parking gives it the carrier at once
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

    /** See {@link ReceiveSpin#spinForMessage}. */
    static boolean spinForMessage(BlockingToken token, MessageQueue mailbox, long maxNanos) {
        return ReceiveSpin.spinForMessage(token, token != null || CURRENT.get() != null, mailbox, maxNanos);
    }

    /**
     * Called on the current thread before it parks inside Ergon; returns a token for {@link #blockingEnd(BlockingToken)}.
     * On a worker, another worker takes over the run queue; elsewhere it does nothing.
     */
    public static BlockingToken blockingBegin() {
        Worker w = CURRENT.get();
        if (w == null || w.blocked) {
            return null;
        }
        w.blocked = true;
        Scheduler s = w.scheduler;
        w.maySpin = s.runQueue.isEmpty();
        if (w.stuck) {
            w.stuck = false;
        } else {
            s.active.decrementAndGet();
        }
        // the slot's process (often the one whose answer this worker will wait for) goes to the run queue, and the
        // worker woken for it is handed this worker's carrier; one signal only: a second would push it aside
        if (!s.flushSlot(w) && !s.runQueue.isEmpty()) {
            s.signalWork();
        }
        return w;
    }

    /** Ends a {@link #blockingBegin()}. */
    public static void blockingEnd(BlockingToken token) {
        if (token instanceof Worker w) {
            w.blocked = false;
            w.scheduler.active.incrementAndGet();
        }
    }

    /** Stops the workers and the monitor; queued activations are dropped. */
    public void stop() {
        stopped = true;
        monitor.stop();
        if (carriers != null) {
            carriers.stop();
        }
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }
}
