package io.ergon.node.internal;

import io.ergon.concurrent.internal.MachineLoad;
import io.ergon.node.NodeClock;
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
 * activate them one after another. A process owns no thread while idle, nor while it waits in a receive or a call:
 * the worker runs its task loop in a continuation, which such a wait suspends ({@link Continuations}), and goes on
 * with other processes at once, and later resumes it ({@link TaskLoops}). A handler that blocks otherwise parks
 * only the worker it runs on, and the scheduler makes up for it:
 * <ul>
 *   <li>blocking inside Ergon where it cannot suspend (no continuations in this JVM, a nested caller-runs
 *       activation) is announced with {@link #blockingBegin()} / {@link #blockingEnd(BlockingToken)}, so another
 *       worker takes over the run queue at once;</li>
 *   <li>blocking elsewhere (JDBC, {@code Thread.sleep}, a long computation) is found by a monitor thread that marks a
 *       worker stuck when it has spent {@link #STUCK_TICKS} monitor ticks (about 2 ms) in one activation while work
 *       waits, and lets another worker start.</li>
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
 * worker and a carrier are found for them at once ({@link WorkerPool#signalUrgent()}).
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
 * <p><b>The callee runs nested.</b> A call that has just put an idle server in the slot takes it back out and runs
 * its activation nested in the caller's, in a continuation of the server's own ({@link #runCallee}): the reply is
 * then queued before the caller would have suspended, and the caller's suspension and resumption, most of what a call
 * cost, are skipped. The server may still wait in a receive: it then suspends alone, on this worker.
 *
 * <p><b>Caller runs.</b> A server that declared that its handlers are short and never wait is run on the caller's
 * own stack without a continuation of its own ({@link #runHere}), cheaper still.
 *
 * <p><b>Where the rest is.</b> This class holds one policy, which activation a worker runs next and when it gives
 * way, with the measurements behind its constants (about half its length is their documentation). Who runs is
 * {@link WorkerPool}'s and {@link Worker}'s; suspending and resuming a waiting process is {@link TaskLoops}'s; the
 * tick, stuck workers and receive deadlines are {@link SchedulerMonitor}'s; the carriers are {@link Carriers}';
 * a connection reader's batched wake-ups are {@link DeferredWakes}'.
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
     * a virtual thread costs a few microseconds too, so a longer spin would not pay). Measured with it (4bc1022):
     * calls from one platform thread went from 50-60k to 120-160k/s, as the worker took the next request unwoken.
     * None where the machine's CPUs are contended ({@link MachineLoad}), as for the carriers' spin.
     */
    private static final int SPINS = 256;
    /**
     * Activations between two yields of a busy worker, so that other virtual threads on its carrier (a handler woken
     * from a receive, a connection's reader) get to run. Not measured on its own: 64 short activations take some
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

    private final String name;
    private final int parallelism;
    final ConcurrentLinkedQueue<Runnable> runQueue = new ConcurrentLinkedQueue<>();
    /** Activations of high-priority processes: taken before the slot and the run queue. */
    final ConcurrentLinkedQueue<Runnable> urgentQueue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spinning = new AtomicInteger();
    final WorkerPool pool;
    private final SchedulerMonitor monitor;
    volatile boolean stopped;
    /** Advanced by the monitor every {@link #TICK_NANOS}; cheaper to read than the clock. Starts at 1. */
    private volatile long tick = 1;

    private static final ThreadLocal<Worker> CURRENT = new ThreadLocal<>();

    /** The current thread's worker, or null if it is not one. */
    static Worker currentWorker() {
        return CURRENT.get();
    }
    /** The node's own carriers for its workers, or null where the JDK does not allow them (see {@link Carriers}). */
    final Carriers carriers;
    /** The receive-timeout wheel of the node's processes, on the node's clock. */
    private final ReceiveTimeouts timeouts;
    /** The wheel of its mailboxes' threads, on real time: the same wheel unless the node's clock is another. */
    private final ReceiveTimeouts threadTimeouts;

    public Scheduler(String name, int parallelism, NodeClock clock) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
        this.name = name;
        this.parallelism = parallelism;
        this.timeouts = new ReceiveTimeouts(clock);
        this.threadTimeouts = clock == NodeClock.system() ? timeouts : new ReceiveTimeouts(NodeClock.system());
        this.pool = new WorkerPool(this);
        this.monitor = new SchedulerMonitor(this, name); // before the carriers, which report activity to it
        this.carriers = Carriers.create(name, parallelism, this);
        monitor.start();
    }

    String name() {
        return name;
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

    /** The wheel of the node's processes, on the node's clock. */
    ReceiveTimeouts timeouts() {
        return timeouts;
    }

    /** The wheel on real time, which the monitor's sleep between slow ticks follows. */
    ReceiveTimeouts threadTimeouts() {
        return threadTimeouts;
    }

    /**
     * The wheel {@code p}'s timed receives wait on: a mailbox's thread waits in real time whatever the node's clock,
     * as the test or request thread it is could not move a manual clock on while it waited.
     */
    ReceiveTimeouts timeoutsFor(ProcessCore p) {
        return p.ownerLock() == null ? timeouts : threadTimeouts;
    }

    /** Called after a timed receive put its deadline on {@code wheel}: wakes the monitor if it would sleep past it. */
    void timedWaitAdded(ReceiveTimeouts wheel, long due) {
        if (wheel == threadTimeouts) { // the monitor sleeps by real time only; a manual clock's jump wakes its wheel
            monitor.timedWaitAdded(due);
        }
    }

    /** Called where work starts after a quiet spell: wakes the monitor if it sleeps between slow ticks. */
    void activity() {
        monitor.activity();
    }

    /** Queues an activation at the back of the run queue. */
    public void submit(Runnable activation) {
        if (activation instanceof ProcessCore p && p.hasSuspended()) {
            TaskLoops.resumeAtHome(p);
            return;
        }
        if (activation instanceof ProcessCore p && p.highPriority) {
            urgentQueue.offer(activation);
            pool.signalUrgent();
            return;
        }
        runQueue.offer(activation);
        if (spinning.get() == 0) {
            Worker w = CURRENT.get();
            if (w != null && !w.blocked && carriers != null) {
                // this worker goes on running: a worker it wakes should take another core, not wait for this one
                w.spreading = true;
                try {
                    pool.signalWork();
                } finally {
                    w.spreading = false;
                }
            } else {
                pool.signalWork();
            }
        }
    }

    /**
     * Queues the activation of a process that a message has just made runnable: into the current worker's next slot
     * when the caller is an activation of this scheduler, else onto the run queue. No other worker is woken for a
     * process put in the slot (the current worker runs it next); a process it displaces goes to the run queue.
     */
    public void wake(Runnable activation) {
        Worker w = CURRENT.get();
        if (activation instanceof ProcessCore p && p.hasSuspended()
                && (w == null || w.blocked || !TaskLoops.isHome(w, p))) {
            TaskLoops.resumeAtHome(p); // a suspended process goes into a slot only on its own worker
            return;
        }
        if (w == null || w.scheduler != this || w.blocked
                || (activation instanceof ProcessCore p && p.highPriority)) {
            DeferredWakes d = w == null ? DeferredWakes.current() : null;
            if (d != null) {
                d.add(this, activation);
            } else {
                submit(activation);
            }
            return;
        }
        Runnable displaced = w.swapNext(activation);
        if (displaced != null) {
            submit(displaced);
        }
    }


    /** Starts deferring this thread's wake-ups (see {@link DeferredWakes}); close the result to stop. */
    public static DeferredWakes deferWakes() {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("a worker does not defer its wake-ups");
        }
        return DeferredWakes.begin();
    }

    /**
     * Runs {@code activation} now, nested in the current one, if the current thread is a worker whose next slot
     * holds it: a process that the current activation has just woken, which this worker would run next anyway.
     * A process calling a server that allows it ({@code Actor.callerRuns}) so gets its reply without a thread
     * switch. At most {@link #MAX_NESTED} deep; true if it ran.
     */
    static boolean runHere(Runnable activation) {
        Worker w = CURRENT.get();
        if (w == null || w.blocked || w.nested >= MAX_NESTED || w.peekNext() != activation
                || (activation instanceof ProcessCore p && p.hasSuspended())
                || !w.takeNext(activation)) {
            return false;
        }
        w.nested++;
        ProcessCore p = activation instanceof ProcessCore pc ? pc : null;
        long before = p == null ? 0 : p.handled;
        try {
            activate(activation);
        } finally {
            w.nested--;
        }
        if (p != null) {
            w.addHandled(p.handled - before); // its own messages; its time is the caller's turn's (see Turns)
        }
        return true;
    }

    /**
     * Runs {@code callee}, to which {@code caller}'s activation has just sent a call request, nested here in a
     * continuation of its own ({@link TaskLoops#runCallee}), if the request put it in this worker's next slot, where
     * it would run next anyway once the caller had suspended. Not when the caller may not suspend (it would park
     * instead, and another worker take the callee), is of high priority (a long handler would hold it), or nests
     * {@link #MAX_NESTED} deep; nor when this worker owes a turn to others (urgent work, loops to resume, or
     * {@link #SLOT_RUNS} runs in a row from its slot while the run queue waits), so that it keeps the order and the
     * fairness the slot has. The nanoseconds it ran on the caller's clock (the node's), or -1 if it did not. The caller
     * counts as running meanwhile (its status is not {@code WAITING}): it waits only once it is in a receive, with its
     * deadline set, which is what a test that waits for quiet processes before it moves a manual clock relies on.
     */
    static long runCallee(ProcessCore caller, ProcessCore callee) {
        Worker w = CURRENT.get();
        if (w == null || w.cont == null || w.blocked || w.nested > 0 || w.calleeDepth >= MAX_NESTED
                || caller.highPriority || caller.ownerLock() != null || callee.hasSuspended()
                || w.peekNext() != callee) {
            return -1;
        }
        Scheduler s = w.scheduler;
        if (!s.urgentQueue.isEmpty() || !w.resumable.isEmpty()
                || (w.slotRuns >= SLOT_RUNS && !s.runQueue.isEmpty()) || !w.takeNext(callee)) {
            return -1;
        }
        w.slotRuns++;
        ReceiveTimeouts clock = s.timeoutsFor(caller); // the clock the caller's timeout runs on
        long start = clock.nanoTime();
        TaskLoops.runCallee(w, callee);
        return clock.nanoTime() - start;
    }

    /** Runs one activation; a process's own failures end it inside, so one that escapes is the scheduler's. */
    static void activate(Runnable activation) {
        try {
            activation.run();
        } catch (Throwable t) {
            LOG.error("an activation failed in the scheduler itself", t);
        }
    }

    /** Moves whatever is in {@code w}'s next slot to the run queue; true if there was something. */
    boolean flushSlot(Worker w) {
        if (w.nextIsEmpty()) {
            return false;
        }
        Runnable r = w.swapNext(null);
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
    private TaskLoops.TaskLoop takeResumable(Worker w) {
        if (w.resumable.isEmpty() || !urgentQueue.isEmpty() || (w.slotRuns >= SLOT_RUNS && !runQueue.isEmpty())) {
            return null;
        }
        TaskLoops.TaskLoop loop = w.resumable.poll();
        if (loop != null) {
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
        if (!w.nextIsEmpty()) {
            Runnable r = w.swapNext(null);
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

    /** Why a worker's task loop returned. */
    static final int IDLE = 0;
    static final int RETIRED = 1;
    static final int SUSPENDED_AWAY = 2;

    void work(Worker w) {
        CURRENT.set(w);
        try {
            while (!stopped) {
                int exit = Continuations.AVAILABLE ? TaskLoops.run(w) : runTasks(w, null);
                if (exit == SUSPENDED_AWAY) {
                    continue; // an activation suspended the loop: a new loop goes on
                }
                if (exit == RETIRED) {
                    // only this worker fills its slot, so it stays empty while the worker is spare
                    if (!pool.becomeSpare(w)) {
                        return;
                    }
                    continue;
                }
                if (stopped || spin(w)) {
                    continue;
                }
                pool.pushIdle(w);
                if ((!runQueue.isEmpty() || !w.resumable.isEmpty()) && pool.removeIdle(w)) {
                    continue;
                }
                // park until a submitter takes us off the idle list; the flag, not the park permit, says so: a
                // permit can be used up by a park inside idleLock (a worker popped while it waited for the lock
                // in removeIdle then slept forever, off the list: a call benchmark hung on it)
                while (w.idle) {
                    if (stopped) {
                        pool.removeIdle(w);
                        break;
                    }
                    LockSupport.park(this);
                }
            }
        } finally {
            pool.remove(w);
            CURRENT.remove();
        }
    }

    /**
     * Runs activations while there are any to take: {@link #IDLE} when there are none, {@link #RETIRED} when the
     * worker is one too many, {@link #SUSPENDED_AWAY} when {@code loop} (the continuation this runs in, or null) was
     * suspended by an activation and then resumed, nested in a later loop.
     */
    int runTasks(Worker w, TaskLoops.TaskLoop loop) {
        int sinceYield = 0;
        while (!stopped) {
            TaskLoops.TaskLoop home = takeResumable(w);
            Runnable task = home == null ? take(w) : null;
            if (home == null && task == null) {
                return IDLE;
            }
            long now = tick;
            w.activationTick = now;
            w.sliceTick = now;
            activity();
            if (home != null) {
                TaskLoops.resumeHomed(w, home); // a turn of its own (see Turns)
            } else if (task instanceof ProcessCore p && p.hasSuspended()) {
                TaskLoops.resumeTaken(w, p); // its own worker's slot held it
            } else if (task instanceof ProcessCore p) {
                Turns.begin(w, p);
                activate(task);
                if (loop != null && loop.suspended) {
                    return SUSPENDED_AWAY; // its turn ended when it suspended (TaskLoops.run): see below
                }
                Turns.end(w);
            } else {
                activate(task);
            }
            if (loop != null && loop.suspended) {
                return SUSPENDED_AWAY; // a later loop of w's resumed this one: it goes on with w's work
            }
            w.activationTick = 0;
            if (w.stuck) {
                w.stuck = false;
                pool.active.incrementAndGet();
            }
            if (pool.active.get() > parallelism && w.nextIsEmpty() && w.homed == 0 && pool.retire()) {
                return RETIRED;
            }
            if (++sinceYield >= YIELD_EVERY) {
                sinceYield = 0;
                Thread.yield();
            }
        }
        return IDLE;
    }

    /** Spins a little waiting for work; true if work appeared. */
    private boolean spin(Worker w) {
        if (MachineLoad.saturated()) {
            return !runQueue.isEmpty() || !urgentQueue.isEmpty() || !w.resumable.isEmpty();
        }
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
            s.pool.active.decrementAndGet();
        }
        // the slot's process (often the one whose answer this worker will wait for) goes to the run queue, and the
        // worker woken for it is handed this worker's carrier; one signal only: a second would push it aside
        if (!s.flushSlot(w) && !s.runQueue.isEmpty()) {
            s.pool.signalWork();
        }
        return w;
    }

    /** Ends a {@link #blockingBegin()}. */
    public static void blockingEnd(BlockingToken token) {
        if (token instanceof Worker w) {
            w.blocked = false;
            w.scheduler.pool.active.incrementAndGet();
        }
    }

    /** Messages handled in the turns of this scheduler's workers, those that ended included (see {@link Turns}). */
    public long messagesHandled() {
        return pool.messagesHandled();
    }

    /** Stops the workers and the monitor; queued activations are dropped. */
    public void stop() {
        stopped = true;
        monitor.stop();
        if (carriers != null) {
            carriers.stop();
        }
        for (Worker w : pool.workers) {
            LockSupport.unpark(w.thread);
        }
    }
}
