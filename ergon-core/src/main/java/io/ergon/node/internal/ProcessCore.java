package io.ergon.node.internal;

import io.ergon.node.Actor;
import io.ergon.node.ProcessInfo;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnOptions;
import io.ergon.node.Spawned;
import io.ergon.node.spi.InboundMessage;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A process: the one object per process, which is its mailbox queue (it extends {@link MessageQueue}), holds its
 * state, and runs its scheduling state machine. A {@link io.ergon.node.Mailbox} handle is a process without an
 * actor whose owner is an ordinary thread.
 *
 * <p><b>Where the rest is.</b> Erlang's rules live in stateless classes that work on this object's fields, so that
 * a process costs no object beyond itself and the hot paths (deliver, activation, receive) only static calls:
 * {@link ProcessSignals} (what a signal does on arrival), {@link ExitFlow} (the exit, from decision to last signal),
 * {@link SelectiveReceive} (matching, the save queue, timeouts), {@link ProcessRelations} (links and monitors the
 * process makes), {@link CallerRuns}, {@link RemoteSpawn}, {@link ProcessIntrospection}. This class is larger than
 * the others because it declares the fields of all of them (they have no objects of their own) and keeps, as
 * one-line delegates, every method other classes call, so that their callers did not change.
 *
 * <p><b>Threads.</b> Any thread may {@link #deliver} to a process. Everything else runs on the process's owner:
 * the worker running its activation, the spawner during {@code init}, or the thread holding a mailbox handle's
 * lock. Links and monitors change only on the owner, under this object's monitor so that {@link #info()} can read
 * them from elsewhere.
 *
 * <p><b>Scheduling state.</b> {@code IDLE}: no thread, empty mailbox. {@code SCHEDULED}: queued or running (a
 * delivery does nothing more). {@code WAITING}: the owner is parked in a receive (a delivery unparks it).
 * {@code SUSPENDED}: its receive suspended the activation's continuation and no thread holds it (a delivery queues
 * it again, to be resumed); {@code SUSPENDING} on the way there (a delivery then makes the worker resume it at once).
 * {@code EXITED}: final. A delivery pushes first and reads the state after, and the owner writes the state before
 * it re-checks the queue, so no delivery is ever left unseen (both are volatile accesses).
 */
public final class ProcessCore extends MessageQueue implements Runnable {
    static final int IDLE = 0;
    static final int SCHEDULED = 1;
    static final int WAITING = 2;
    static final int EXITED = 3;
    /** The two suspension states are the highest, so that {@code state >= SUSPENDING} tests for either. */
    static final int SUSPENDING = 4;
    static final int SUSPENDED = 5;
    /**
     * Items (messages and signals) one activation handles at most before its worker moves on: the process goes to
     * the back of the run queue if more are queued. Fairness against throughput: a smaller batch bounds how long a
     * busy process keeps a worker while others wait behind it (a supervisor above all), a larger one spreads the
     * activation's fixed cost (state transitions, the run-queue hand-off, cold caches) over more messages. It bounds
     * messages, not time: a slow handler holds its worker regardless. Unmeasured: 64 came with the first runtime
     * (b8cd2e7, "drain batches of 64") and no benchmark has compared other values since. The distribution reader's
     * {@code WAKE_BATCH} (c2036a6) is a different knob.
     */
    private static final int BATCH = 64;
    private static final VarHandle STATE;
    private static final VarHandle WHEEL_DUE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ProcessCore.class, "state", int.class);
            WHEEL_DUE = MethodHandles.lookup().findVarHandle(ProcessCore.class, "wheelDue", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ---- identity and behaviour (the actor is dropped at exit; the name changes on register and unregister)
    private final NodeCore node;
    private final Pid pid;
    private final Pid parent;
    /** Serialises the threads that use a mailbox handle; null for actors, whose owner is their activation. */
    private final ReentrantLock ownerLock;
    /** Erlang's priority {@code high}: its activations go ahead of the others' (see {@code Actor.highPriority}). */
    final boolean highPriority;
    /** The behaviour; null for a mailbox handle, and once the process has exited. */
    Actor actor;
    volatile Atom registeredName;

    // ---- the scheduling state machine (see the class comment); any thread
    private volatile int state = SCHEDULED;
    private volatile Thread waiter;
    /**
     * The continuation its receive suspended, while {@code SUSPENDED}: written by the worker before the state says
     * so, taken by the worker that resumes it after the state left it (see {@code TaskLoops.resume}).
     */
    private Object suspended;
    /** The slot tick its timed receive ends at, or {@code NONE} (see {@link ReceiveTimeouts}). */
    volatile long timedWaitDue = ReceiveTimeouts.NONE;
    /** The slot tick of its entry on the receive-timeout wheel that counts, or {@code NONE}. */
    volatile long wheelDue = ReceiveTimeouts.NONE;

    // ---- the caller-runs heuristic (see CallerRuns)
    /** Whether a caller may run this process's activations on its own thread ({@link Actor#callerRuns()}). */
    volatile boolean callerRuns;
    /** Runs on callers' threads in the current window, and the long ones among them (racy counts: a heuristic). */
    int callerRunCount;
    int longCallerRuns;

    // ---- selective receive (see SelectiveReceive); owner only
    /** Messages a receive passed over, in order, read before the queue; allocated when first needed. */
    ArrayDeque<Object> saved;

    // ---- links and monitors (see ProcessSignals, ProcessRelations); changed by the owner under this object's monitor
    private boolean trapExit;
    private Relations relations;

    // ---- the exit (see ExitFlow); owner only, but exitReason is read by any thread
    /** The stop a callback asked for ({@link #requestStop}), honoured once it returns. */
    Object stopReason;
    /** The reason of the exit under way, once decided; the process unwinds to its activation and completes it. */
    Object exiting;
    /** Whether the exit under way runs the terminate callback (not for an exit signal, nor for a failed init). */
    boolean exitRunsTerminate;
    /** True while the terminate callback runs: it may still receive (a supervisor waits for its children there). */
    boolean terminating;
    /** The throwable that ended it, for the crash report; null for an exit that was decided, not a crash. */
    Throwable crash;
    /** The reason the process exited with, once final. */
    private volatile Object exitReason;
    /** What runs when it exits ({@link ExitHooks}): null, one hook, or a list of them; under this object's monitor. */
    private Object exitHooks;

    // ---- counts (see Turns); owner only, read racily by introspection and the turn's end
    /**
     * Messages handled: given to the behaviour by an activation, or returned by a receive. A plain field, written by
     * the owner only: a worker adds what a turn handled to its own count at the turn's end ({@link Turns}), so no
     * message pays for a shared counter.
     */
    long handled;

    // ---- remote spawn (see RemoteSpawn); owner only
    /** The spawn request this process waits on, while it waits. */
    RemoteSpawn pendingSpawn;

    ProcessCore(NodeCore node, Actor actor, Pid parent) {
        this.node = node;
        this.actor = actor;
        this.callerRuns = actor != null && ActorAccess.get().callerRuns(actor);
        this.highPriority = actor != null && ActorAccess.get().highPriority(actor);
        this.parent = parent;
        this.ownerLock = actor == null ? new ReentrantLock() : null;
        this.pid = node.allocatePid(this);
    }

    /** The lock a mailbox handle's users hold while they act as the process; null for actors. */
    public ReentrantLock ownerLock() {
        return ownerLock;
    }

    public Pid pid() {
        return pid;
    }

    public NodeCore node() {
        return node;
    }

    public Pid parent() {
        return parent;
    }

    public boolean isAlive() {
        return state != EXITED;
    }

    /** The scheduling state, for introspection; any thread. */
    int state() {
        return state;
    }

    /** The reason the process exited with, or null while it lives. */
    public Object exitReason() {
        return exitReason;
    }

    // ------------------------------------------------------------------ any thread

    /** Queues a message or a signal and wakes the process if it sleeps. */
    public void deliver(Object item) {
        if (state == EXITED) {
            node.answerDead(pid, item);
            return;
        }
        push(item);
        int s = state;
        if (s == IDLE) {
            if (STATE.compareAndSet(this, IDLE, SCHEDULED)) {
                node.scheduler().wake(this);
            }
        } else if (s == WAITING) {
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        } else if (s >= SUSPENDING) {
            endSuspension();
        } else if (s == EXITED) {
            // raced with the exit's final drain: answer it unless the drain already did (answers are claimed once)
            node.answerDead(pid, item);
        }
    }

    /**
     * Ends a suspended receive's wait: a suspended process is queued to be resumed; one still suspending is marked
     * scheduled, which its worker sees and resumes it at once. Any thread; only one caller queues it.
     */
    private void endSuspension() {
        while (true) {
            int s = state;
            if (s == SUSPENDED) {
                if (STATE.compareAndSet(this, SUSPENDED, SCHEDULED)) {
                    node.scheduler().wake(this);
                    return;
                }
            } else if (s == SUSPENDING) {
                if (STATE.compareAndSet(this, SUSPENDING, SCHEDULED)) {
                    return;
                }
            } else {
                return;
            }
        }
    }

    /** Called by the receive-timeout wheel when this process's timed wait is due. */
    void waitDue() {
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        } else if (state >= SUSPENDING) {
            endSuspension();
        }
    }

    /**
     * Called by the worker once this process's receive has suspended {@code c}: true if it now waits, suspended,
     * for a delivery; false if one came meanwhile, and the worker is to resume {@code c} at once.
     */
    boolean suspended(Object c) {
        suspended = c;
        if (STATE.compareAndSet(this, SUSPENDING, SUSPENDED)) {
            return true;
        }
        suspended = null;
        return false;
    }

    /** The continuation to resume, if this process's receive suspended one; the activating worker only. */
    Object takeSuspended() {
        Object c = suspended;
        if (c != null) {
            suspended = null;
        }
        return c;
    }

    boolean hasSuspended() {
        return suspended != null;
    }

    /** The task loop its receive suspended, left in place, or null (see {@link TaskLoops}). */
    Object suspendedLoop() {
        return suspended;
    }

    // ------------------------------------------------------------------ activation (a worker thread)

    @Override
    public void run() {
        int budget = BATCH;
        try {
            Object item;
            while ((item = SelectiveReceive.next(this)) != null) {
                dispatch(item);
                if (--budget == 0) {
                    break;
                }
            }
        } catch (ProcessExit e) {
            // exiting is set; finish below
        }
        if (exiting != null) {
            ExitFlow.completeExit(this);
            return;
        }
        finishActivation();
    }

    private void dispatch(Object item) {
        Object message = item instanceof Signal s ? ProcessSignals.onSignal(this, s) : item;
        if (message instanceof InboundMessage in) {
            message = in.take(); // taken: its connection may read on (see InboundMessage)
        }
        if (message != null) {
            handled++;
            handle(message);
        }
    }

    private void handle(Object message) {
        try {
            ActorAccess.get().handle(actor, message);
        } catch (ProcessExit e) {
            throw e;
        } catch (Throwable t) {
            throw ExitFlow.crashed(this, t);
        }
        ExitFlow.afterCallback(this);
    }

    private void finishActivation() {
        if (hasQueued()) {
            node.scheduler().submit(this);
            return;
        }
        state = IDLE;
        if (hasQueued() && STATE.compareAndSet(this, IDLE, SCHEDULED)) {
            node.scheduler().submit(this);
        }
    }

    // ------------------------------------------------------------------ spawn and init (the spawner's thread)

    /** Spawns a child of this process (link and monitor options apply to this process). */
    public Spawned spawn(Supplier<? extends Actor> factory, SpawnOptions options) {
        Scheduler.reductionPoint();
        return node.spawn(factory, options, this);
    }

    /** Runs init on the current thread; then the process lives, or it has exited and this throws. */
    void runInit() {
        long before = handled;
        try {
            ActorAccess.get().init(actor);
            if (exiting == null && stopReason != null) {
                ExitFlow.markExit(this, stopReason, false);
            }
        } catch (ProcessExit e) {
            // exiting is set
        } catch (Throwable t) {
            crash = t;
            ExitFlow.markExit(this, Reasons.of(t), false);
        }
        if (handled != before) { // its init received: outside any turn of a worker's (see Turns)
            node.counters().handledOutsideTurns(handled - before);
        }
        if (exiting != null) {
            throw ExitFlow.initFailed(this);
        }
        finishActivation();
    }

    // ------------------------------------------------------------------ waiting in a receive (owner)

    /** Selective receive (see {@link SelectiveReceive}); null if none matched in time (null waits forever). */
    public Object receive(Predicate<Object> match, Duration timeout) {
        return SelectiveReceive.receive(this, match, timeout);
    }

    /**
     * Waits, in a receive that found nothing, until a delivery or, if {@code timed}, {@code deadline}: suspends the
     * activation's continuation where it may, else parks its thread (a worker may spin briefly first). May return
     * early; the receive looks again.
     */
    void awaitMessage(boolean timed, long deadline) {
        CallerRuns.onWait(this);
        // a mailbox's owner holds its lock, which must be released on the thread that took it: it parks
        if (ownerLock == null && TaskLoops.maySuspend(this) && suspendForMessage(timed, deadline)) {
            return;
        }
        BlockingToken token = Scheduler.blockingBegin();
        try {
            if (!ReceiveSpin.spinForMessage(token, this)) {
                waiter = Thread.currentThread();
                state = WAITING;
                if (!hasQueued()) {
                    if (timed) {
                        parkUntil(token, deadline);
                    } else {
                        TaskLoops.parkOrResume(token, this);
                    }
                }
                state = SCHEDULED;
                waiter = null;
            }
        } finally {
            Scheduler.blockingEnd(token);
        }
    }

    /**
     * Suspends the activation's continuation until a delivery or, if {@code timed}, through the timeout wheel,
     * {@code deadline}; its worker goes on with other processes meanwhile. True once resumed (or if a message came
     * first); false if the JDK could not suspend here, and the caller parks instead.
     */
    private boolean suspendForMessage(boolean timed, long deadline) {
        if (timed) {
            waitOnWheel(deadline);
        }
        state = SUSPENDING;
        boolean resumed = hasQueued() || TaskLoops.suspend(this);
        state = SCHEDULED; // already so after a resumption; a suspension refused or not needed ends here
        timedWaitDue = ReceiveTimeouts.NONE;
        return resumed;
    }

    /** Parks the owner until a delivery or, through the scheduler's timeout wheel, {@code deadline}. */
    private void parkUntil(BlockingToken token, long deadline) {
        waitOnWheel(deadline);
        if (!hasQueued()) {
            TaskLoops.parkOrResume(token, this);
        }
        timedWaitDue = ReceiveTimeouts.NONE;
    }

    /** Puts the wait until {@code deadline} on the receive-timeout wheel, which ends it through {@link #waitDue}. */
    private void waitOnWheel(long deadline) {
        Scheduler scheduler = node.scheduler();
        ReceiveTimeouts wheel = scheduler.timeoutsFor(this);
        long due = wheel.dueTick(deadline);
        timedWaitDue = due;
        wheel.waitUntil(this, due);
        scheduler.timedWaitAdded(wheel, due);
    }

    boolean casWheelDue(long expected, long due) {
        return WHEEL_DUE.compareAndSet(this, expected, due);
    }

    // ------------------------------------------------------------------ calls (owner)

    /**
     * Runs this process's activation on the current thread, if it allows that and the current activation's own send
     * has just made it runnable; the nanoseconds the run took, or -1 if it did not run (see {@link CallerRuns}).
     */
    long runOnCallerThread() {
        return CallerRuns.runOnCallerThread(this);
    }

    /** {@code gen:call} from this process: see {@link GenCall}. */
    public Object call(Object to, Object request, Duration timeout) {
        Scheduler.reductionPoint();
        NodeCounters counters = node.counters();
        if (!counters.timeCalls) {
            return GenCall.call(this, to, request, timeout);
        }
        return timedCall(counters, to, request, timeout);
    }

    /** A call while a {@code NodeListener} times calls: the clock is read only here. */
    private Object timedCall(NodeCounters counters, Object to, Object request, Duration timeout) {
        long start = System.nanoTime();
        Object reply;
        try {
            reply = GenCall.call(this, to, request, timeout);
        } catch (RuntimeException | Error e) {
            counters.callCompleted(to, System.nanoTime() - start, e);
            throw e;
        }
        counters.callCompleted(to, System.nanoTime() - start, null);
        return reply;
    }

    /** A call's monitor of a local process, both ends at once: see {@link ProcessRelations#monitorDirectly}. */
    Ref monitorDirectly(Object dest, ProcessCore target) {
        return ProcessRelations.monitorDirectly(this, dest, target);
    }

    /** Ends a {@link #monitorDirectly} monitor, and drops its DOWN if one is already queued. */
    void demonitorDirectly(Ref ref, ProcessCore target) {
        ProcessRelations.demonitorDirectly(this, ref, target);
    }

    // ------------------------------------------------------------------ remote spawn (owner)

    /** Erlang's {@code spawn_request} from this process, waiting for the reply: see {@link RemoteSpawn}. */
    public Spawned spawnRemote(Atom onNode, Atom module, Atom function, List<Object> args,
                               boolean link, boolean monitor, Duration timeout) {
        return RemoteSpawn.spawn(this, onNode, module, function, args, link, monitor, timeout);
    }

    /** Sets up, on a process not yet running, the link and monitor a remote spawn requester asked for. */
    void acceptRemoteRequester(Pid requester, boolean link, Ref monitor) {
        ProcessRelations.acceptRemoteRequester(this, requester, link, monitor);
    }

    // ------------------------------------------------------------------ links, monitors, exit signals (owner)

    /** Erlang's {@code link/1}: see {@link ProcessRelations#link}. */
    public void link(Pid target) {
        ProcessRelations.link(this, target);
    }

    /** Erlang's {@code unlink/1}: see {@link ProcessRelations#unlink}. */
    public void unlink(Pid target) {
        ProcessRelations.unlink(this, target);
    }

    /** Links this process and a child being spawned (which is not running yet), in both directions at once. */
    void linkChild(ProcessCore child) {
        ProcessRelations.linkChild(this, child);
    }

    /** Monitors a child being spawned (not running yet). */
    Ref monitorChild(ProcessCore child) {
        return ProcessRelations.monitorChild(this, child);
    }

    /** Erlang's {@code monitor/2}, with the {@code alias} option: see {@link ProcessRelations#monitor}. */
    public Ref monitor(Object target, boolean alias) {
        return ProcessRelations.monitor(this, target, alias);
    }

    /** Ends a monitor; with {@code flush}, also drops its DOWN message if one is already queued. */
    public void demonitor(Ref ref, boolean flush) {
        ProcessRelations.demonitor(this, ref, flush);
    }

    /** Erlang's {@code exit(Pid, Reason)}: see {@link ProcessRelations#exitSignal}. */
    public void exitSignal(Pid target, Object reason) {
        ProcessRelations.exitSignal(this, target, reason);
    }

    public void trapExit(boolean trap) {
        trapExit = trap;
    }

    public boolean trapsExit() {
        return trapExit;
    }

    /** This process's links and monitors, allocated on first use; under this object's monitor. */
    Relations relations() {
        Relations r = relations;
        if (r == null) {
            r = new Relations();
            relations = r;
        }
        return r;
    }

    /** Its links and monitors, or null if it never had any (or has exited). */
    Relations relationsOrNull() {
        return relations;
    }

    // ------------------------------------------------------------------ exit (owner): see ExitFlow

    /** Asks to exit with {@code reason} once the current callback returns. */
    public void requestStop(Object reason) {
        stopReason = reason;
    }

    /**
     * The exit's transition, under this object's monitor: the reason, the final state, and no more links or
     * monitors; returns those it had (null if none).
     */
    Relations exited(Object reason) {
        exitReason = reason;
        state = EXITED;
        Relations r = relations;
        relations = null;
        return r;
    }

    /**
     * Adds a hook that runs once when this process exits (see {@link ExitHooks}); false, and the hook is not kept,
     * if the process has already exited. Any thread.
     */
    public synchronized boolean addExitHook(Consumer<Object> hook) {
        if (!isAlive()) {
            return false;
        }
        exitHooks = ExitHooks.add(exitHooks, hook);
        return true;
    }

    /** Removes a hook added with {@link #addExitHook}; false if it was not there (it ran, or never was). */
    public synchronized boolean removeExitHook(Consumer<Object> hook) {
        if (!ExitHooks.contains(exitHooks, hook)) {
            return false;
        }
        exitHooks = ExitHooks.remove(exitHooks, hook);
        return true;
    }

    /** The hooks to run now that the process has exited, taken once; under this object's monitor. */
    Object takeExitHooks() {
        Object h = exitHooks;
        exitHooks = null;
        return h;
    }

    /** Used by a mailbox handle: exits now, on its owner's thread (see {@link ExitFlow#exitNow}). */
    public void exitNow(Object reason) {
        ExitFlow.exitNow(this, reason);
    }

    /** Called when a {@link ProcessExit} reached a mailbox handle's owner: completes the exit, returns the reason. */
    public Object completeExitFromReceive() {
        return ExitFlow.completeExitFromReceive(this);
    }

    // ------------------------------------------------------------------ introspection (any thread)

    /** Whether this mailbox process may serve another call: see {@link ProcessIntrospection#isPristine}. */
    public boolean isPristine() {
        return ProcessIntrospection.isPristine(this);
    }

    /** Messages and signals waiting, its queue counted up to {@code limit} (see {@link ProcessIntrospection}). */
    int queuedDepth(int limit) {
        return ProcessIntrospection.queuedDepth(this, limit);
    }

    /** A snapshot of this process, or null once it has exited. */
    public ProcessInfo info() {
        return ProcessIntrospection.info(this);
    }

    @Override
    public String toString() {
        return "Process" + pid;
    }
}
