package io.ergon.node.internal;

import io.ergon.node.Actor;
import io.ergon.node.CallException;
import io.ergon.node.Down;
import io.ergon.node.Exit;
import io.ergon.node.ExitException;
import io.ergon.node.Name;
import io.ergon.node.ProcessInfo;
import io.ergon.node.ProcessStatus;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnException;
import io.ergon.node.SpawnOptions;
import io.ergon.node.Spawned;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.TermFormat;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process: its mailbox queue, its scheduling state, its links and monitors, and the rules by which it handles
 * signals and exits. One instance per process; a {@link io.ergon.node.Mailbox} handle is a process without an actor
 * whose owner is an ordinary thread.
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
    private static final Logger LOG = LoggerFactory.getLogger("io.ergon.node.Process");
    static final int IDLE = 0;
    static final int SCHEDULED = 1;
    static final int WAITING = 2;
    static final int EXITED = 3;
    static final int SUSPENDING = 4;
    static final int SUSPENDED = 5;
    /** Messages handled per activation before the process goes to the back of the run queue. */
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

    private final NodeCore node;
    private final Pid pid;
    private final Pid parent;
    /** Serialises the threads that use a mailbox handle; null for actors, whose owner is their activation. */
    private final ReentrantLock ownerLock;
    private Actor actor;
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
    volatile Atom registeredName;

    // owner-only
    private ArrayDeque<Object> saved;
    private boolean trapExit;
    private Object stopReason;
    private Object exiting;
    private boolean exitRunsTerminate;
    /** True while the terminate callback runs: it may still receive (a supervisor waits for its children there). */
    private boolean terminating;
    private Throwable crash;
    private Relations relations;
    private volatile Object exitReason;
    /**
     * Whether a caller may run this process's activations on its own thread ({@link Actor#callerRuns()}); cleared for
     * good once the process blocks in a receive, or once {@link #LONG_RUNS_ALLOWED} + 1 such runs out of
     * {@link #RUN_WINDOW} in a row took longer than {@link #LONG_RUN_NANOS}. Not for one long run: a pause of the
     * whole JVM or of its host can make any run long.
     */
    private volatile boolean callerRuns;
    /** Erlang's priority {@code high}: its activations go ahead of the others' (see {@code Actor.highPriority}). */
    final boolean highPriority;
    static final long LONG_RUN_NANOS = 1_000_000;
    static final int LONG_RUNS_ALLOWED = 2;
    static final int RUN_WINDOW = 1024;
    /** Runs on callers' threads in the current window, and the long ones among them (racy counts: a heuristic). */
    private int callerRunCount;
    private int longCallerRuns;

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

    // ------------------------------------------------------------------ activation (a worker thread)

    @Override
    public void run() {
        int budget = BATCH;
        try {
            Object item;
            while ((item = next()) != null) {
                dispatch(item);
                if (--budget == 0) {
                    break;
                }
            }
        } catch (ProcessExit e) {
            // exiting is set; finish below
        }
        if (exiting != null) {
            completeExit();
            return;
        }
        finishActivation();
    }

    private Object next() {
        ArrayDeque<Object> s = saved;
        if (s != null && !s.isEmpty()) {
            return s.pollFirst();
        }
        return poll();
    }

    private void dispatch(Object item) {
        Object message = item instanceof Signal s ? onSignal(s) : item;
        if (message != null) {
            handle(message);
        }
    }

    private void handle(Object message) {
        try {
            ActorAccess.get().handle(actor, message);
        } catch (ProcessExit e) {
            throw e;
        } catch (Throwable t) {
            throw crashed(t);
        }
        afterCallback();
    }

    /** After a callback: honour a stop it requested, or an exit it swallowed. */
    private void afterCallback() {
        if (exiting != null) {
            throw new ProcessExit(exiting, exitRunsTerminate);
        }
        if (stopReason != null) {
            throw markExit(stopReason, true);
        }
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
        try {
            ActorAccess.get().init(actor);
            if (exiting == null && stopReason != null) {
                markExit(stopReason, false);
            }
        } catch (ProcessExit e) {
            // exiting is set
        } catch (Throwable t) {
            crash = t;
            markExit(Reasons.of(t), false);
        }
        if (exiting != null) {
            Object reason = exiting;
            Throwable cause = crash;
            crash = null;
            exitRunsTerminate = false;
            exiting = reason == SpawnException.IGNORE ? Reasons.NORMAL : reason;
            completeExit();
            throw new SpawnException(reason, cause);
        }
        finishActivation();
    }

    // ------------------------------------------------------------------ signals (owner)

    /** Applies a signal; returns the message it turns into, if any. Throws {@link ProcessExit} if it kills. */
    private Object onSignal(Signal signal) {
        switch (signal) {
            case Signal.Link l -> {
                if (l.claim()) {
                    synchronized (this) {
                        relations().linkReceived(l.from);
                    }
                }
                return null;
            }
            case Signal.UnlinkId u -> {
                synchronized (this) {
                    Relations.LinkState s = relations == null ? null : relations.link(u.from);
                    if (s != null && s.active) {
                        relations.removeLink(u.from);
                    }
                }
                node.route(u.from, new Signal.UnlinkAck(pid, u.id));
                return null;
            }
            case Signal.UnlinkAck a -> {
                synchronized (this) {
                    Relations.LinkState s = relations == null ? null : relations.link(a.from);
                    if (s != null && !s.active && s.unlinkId == a.id) {
                        relations.removeLink(a.from);
                    }
                }
                return null;
            }
            case Signal.Exit e -> {
                return onExit(e);
            }
            case Signal.Monitor m -> {
                if (m.claim()) {
                    synchronized (this) {
                        relations().addMonitoredBy(m.ref, new Relations.Incoming(m.from, m.name));
                    }
                }
                return null;
            }
            case Signal.Demonitor d -> {
                synchronized (this) {
                    if (relations != null) {
                        relations.removeMonitoredBy(d.ref);
                    }
                }
                return null;
            }
            case Signal.Down d -> {
                Relations.Outgoing held;
                synchronized (this) {
                    held = relations == null ? null : relations.removeMonitor(d.ref);
                }
                if (held != null && held.alias()) {
                    node.unregisterAlias(d.ref);
                }
                return held == null ? null : new Down(d.ref, d.item, d.reason);
            }
            case Signal.AliasMessage a -> {
                Relations.Outgoing held = relations == null ? null : relations.monitor(a.alias);
                return held != null && held.alias() ? a.message : null;
            }
            case Signal.SpawnReply r -> {
                return onSpawnReply(r);
            }
            case Signal.NodeDown nd -> {
                onNodeDown(nd.node);
                return null;
            }
            case Signal.Shutdown s -> {
                if (terminating) {
                    return null; // already on its way out; let terminate finish
                }
                throw markExit(s.reason, true);
            }
        }
    }

    /**
     * A node went away: monitors of its processes deliver DOWN {@code noconnection} (queued as messages, in order),
     * then links to its processes act as exit signals with {@code noconnection}.
     */
    private void onNodeDown(Atom lost) {
        if (pendingSpawn != null && lost.equals(pendingSpawnNode)) {
            saved().addLast(new SpawnResult(pendingSpawn, Reasons.NOCONNECTION));
            pendingSpawn = null; // answered: a second node-down for the same node adds nothing
        }
        List<Pid> linked = new ArrayList<>();
        synchronized (this) {
            if (relations == null) {
                return;
            }
            for (Map.Entry<Ref, Relations.Outgoing> e : new ArrayList<>(relations.monitors().entrySet())) {
                Relations.Outgoing o = e.getValue();
                Atom where = o.target() instanceof Pid p ? p.node() : o.target() instanceof Name n ? n.node() : null;
                if (lost.equals(where)) {
                    relations.removeMonitor(e.getKey());
                    if (o.alias()) {
                        node.unregisterAlias(e.getKey());
                    }
                    saved().addLast(new Down(e.getKey(), o.target(), Reasons.NOCONNECTION));
                }
            }
            relations.monitoredBy().entrySet().removeIf(e -> e.getValue().from().node().equals(lost));
            for (Pid peer : relations.linkedTo(lost)) {
                linked.add(peer);
            }
        }
        for (Pid peer : linked) {
            Object m = onExit(new Signal.Exit(peer, Reasons.NOCONNECTION, true));
            if (m != null) {
                saved().addLast(m);
            }
        }
    }

    /** Erlang's exit-signal rules. */
    private Object onExit(Signal.Exit e) {
        if (e.link) {
            synchronized (this) {
                Relations.LinkState s = relations == null ? null : relations.link(e.from);
                if (s == null) {
                    return null;
                }
                relations.removeLink(e.from);
                if (!s.active) {
                    return null; // we were unlinking: the signal is void, and the peer is gone
                }
            }
        }
        Object reason = e.reason;
        if (!e.link && reason == Reasons.KILL) {
            throw markExit(Reasons.KILLED, false);
        }
        if (trapExit) {
            return new Exit(e.from, reason);
        }
        if (reason == Reasons.NORMAL) {
            if (!e.link && e.from.equals(pid)) {
                throw markExit(Reasons.NORMAL, false);
            }
            return null;
        }
        throw markExit(reason, false);
    }

    // ------------------------------------------------------------------ receive and call (owner)

    /**
     * Selective receive: the first queued message that matches, handling signals on the way and keeping the other
     * messages, in order, for later. Null if none matched within the timeout (null waits forever).
     */
    public Object receive(Predicate<Object> match, Duration timeout) {
        Scheduler.reductionPoint();
        if (exiting != null && !terminating) {
            throw new ProcessExit(exiting, exitRunsTerminate);
        }
        if (state == EXITED) {
            throw new ExitException(exitReason);
        }
        if (saved != null && !saved.isEmpty()) {
            for (Iterator<Object> it = saved.iterator(); it.hasNext(); ) {
                Object m = it.next();
                if (match.test(m)) {
                    it.remove();
                    return m;
                }
            }
        }
        long nanos = toNanos(timeout);
        long deadline = nanos < 0 ? 0 : System.nanoTime() + nanos;
        while (true) {
            Object item;
            while ((item = poll()) != null) {
                Object m;
                if (item instanceof Signal s) {
                    int before = saved == null ? 0 : saved.size();
                    m = onSignal(s);
                    if (saved != null && saved.size() > before) {
                        Object found = takeMatch(match, before);
                        if (found != null) {
                            if (m != null) {
                                saved.addLast(m);
                            }
                            return found;
                        }
                    }
                } else {
                    m = item;
                }
                if (m == null) {
                    continue;
                }
                if (match.test(m)) {
                    return m;
                }
                saved().addLast(m);
            }
            long remaining = 0;
            if (nanos >= 0) {
                remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return null;
                }
            }
            if (callerRuns) {
                callerRuns = false; // it waits: a caller running it would wait with it, deaf to its own signals
            }
            // a mailbox's owner holds its lock, which must be released on the thread that took it: it parks
            if (ownerLock == null && TaskLoops.maySuspend(this) && suspendForMessage(nanos >= 0, deadline)) {
                continue;
            }
            BlockingToken token = Scheduler.blockingBegin();
            try {
                if (!Scheduler.spinForMessage(token, this, nanos < 0 ? Long.MAX_VALUE : remaining)) {
                    waiter = Thread.currentThread();
                    state = WAITING;
                    if (!hasQueued()) {
                        if (nanos < 0) {
                            LockSupport.park(this);
                        } else {
                            parkUntil(deadline);
                        }
                    }
                    state = SCHEDULED;
                    waiter = null;
                }
            } finally {
                Scheduler.blockingEnd(token);
            }
        }
    }

    /**
     * Whether this mailbox process is as it was when it opened: alive, nothing queued or saved, no links or
     * monitors either way, not trapping exits. Such a one may serve another call ({@code Node.call} keeps a few).
     */
    public boolean isPristine() {
        return state != EXITED && exiting == null && !trapExit && !hasQueued() && (saved == null || saved.isEmpty())
                && (relations == null || (!relations.hasLinks() && relations.monitors().isEmpty()
                        && relations.monitoredBy().isEmpty()));
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
    private void parkUntil(long deadline) {
        waitOnWheel(deadline);
        if (!hasQueued()) {
            LockSupport.park(this);
        }
        timedWaitDue = ReceiveTimeouts.NONE;
    }

    /** Puts this process's wait until {@code deadline} on the receive-timeout wheel, which ends it by {@link #waitDue}. */
    private void waitOnWheel(long deadline) {
        Scheduler scheduler = node.scheduler();
        long due = scheduler.timeouts().dueTick(deadline);
        timedWaitDue = due;
        scheduler.timeouts().waitUntil(this, due);
        scheduler.timedWaitAdded(due);
    }

    boolean casWheelDue(long expected, long due) {
        return WHEEL_DUE.compareAndSet(this, expected, due);
    }

    /** Removes and returns the first saved message from index {@code from} on that matches, or null. */
    private Object takeMatch(Predicate<Object> match, int from) {
        int i = 0;
        for (Iterator<Object> it = saved.iterator(); it.hasNext(); i++) {
            Object m = it.next();
            if (i >= from && match.test(m)) {
                it.remove();
                return m;
            }
        }
        return null;
    }

    private static long toNanos(Duration timeout) {
        if (timeout == null) {
            return -1;
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return -1;
        }
    }

    /**
     * Runs this process's activation on the current thread, if it allows that and the current activation's own send
     * has just made it runnable (see {@link Scheduler#runHere}); the nanoseconds the run took, or -1 if it did not
     * run. Runs that keep taking long end the permission: later callers hand their requests over instead.
     */
    long runOnCallerThread() {
        if (!callerRuns) {
            return -1;
        }
        long start = System.nanoTime();
        if (!Scheduler.runHere(this)) {
            return -1;
        }
        long took = System.nanoTime() - start;
        if (took > LONG_RUN_NANOS && ++longCallerRuns > LONG_RUNS_ALLOWED) {
            callerRuns = false;
        }
        if (++callerRunCount >= RUN_WINDOW) {
            callerRunCount = 0;
            longCallerRuns = 0;
        }
        return took;
    }

    /** {@code gen:call} from this process: see {@link GenCall}. */
    public Object call(Object to, Object request, Duration timeout) {
        Scheduler.reductionPoint();
        return GenCall.call(this, to, request, timeout);
    }

    /**
     * A monitor of a local process for a call (see {@link GenCall}), set up directly under the callee's lock rather than by a signal through its
     * queue (which would also cost the callee a second activation, for the demonitor). The effect is a monitor's: a
     * DOWN comes if the callee is gone now ({@code noproc}) or exits before replying.
     */
    Ref monitorDirectly(Object dest, ProcessCore target) {
        Ref ref = node.newRef();
        Atom byName = dest instanceof Atom a ? a : dest instanceof Name n ? n.name() : null;
        Object item = byName == null ? target.pid : new Name(byName, node.name());
        addMonitor(ref, new Relations.Outgoing(item, target.pid, true));
        boolean alive;
        synchronized (target) {
            alive = target.state != EXITED;
            if (alive) {
                target.relations().addMonitoredBy(ref, new Relations.Incoming(pid, byName));
            }
        }
        if (!alive) {
            deliver(new Signal.Down(ref, item, Reasons.NOPROC));
        }
        return ref;
    }

    /** Ends a {@link #monitorDirectly} monitor, and drops its DOWN if one is already queued. */
    void demonitorDirectly(Ref ref, ProcessCore target) {
        synchronized (this) {
            if (relations != null) {
                relations.removeMonitor(ref);
            }
        }
        synchronized (target) {
            if (target.relations != null) {
                target.relations.removeMonitoredBy(ref);
            }
        }
        if (saved != null) {
            saved.removeIf(m -> m instanceof Down d && d.ref().equals(ref));
        }
    }

    // ------------------------------------------------------------------ remote spawn (owner)

    /** What a process gets back from {@link #spawnRemote}: the reply to its request. */
    public record SpawnResult(Ref reqId, Object result) {
    }

    /** The spawn request this process is waiting on (at most one: spawnRemote blocks), for node-down. */
    private Ref pendingSpawn;
    private Atom pendingSpawnNode;

    private Object onSpawnReply(Signal.SpawnReply r) {
        if (r.result instanceof Pid child) {
            synchronized (this) {
                if ((r.flags & 1) != 0) {
                    relations().linkActive(child);
                }
                if ((r.flags & 2) != 0) {
                    relations().addMonitor(r.reqId, new Relations.Outgoing(child, child, false));
                }
            }
        }
        return new SpawnResult(r.reqId, r.result);
    }

    /** Erlang's {@code spawn_request} from this process, waiting for the reply: see {@link RemoteSpawn}. */
    public io.ergon.node.Spawned spawnRemote(Atom onNode, Atom module, Atom function, List<Object> args,
                                             boolean link, boolean monitor, Duration timeout) {
        return RemoteSpawn.spawn(this, onNode, module, function, args, link, monitor, timeout);
    }

    /** Notes the spawn request this process waits on (null when done), so that node-down can answer it. */
    void awaitingSpawn(Ref reqId, Atom onNode) {
        pendingSpawn = reqId;
        pendingSpawnNode = onNode;
    }

    /** Sets up, on a process not yet running, the link and monitor a remote spawn requester asked for. */
    void acceptRemoteRequester(Pid requester, boolean link, Ref monitor) {
        synchronized (this) {
            if (link) {
                relations().linkReceived(requester);
            }
            if (monitor != null) {
                relations().addMonitoredBy(monitor, new Relations.Incoming(requester, null));
            }
        }
    }

    // ------------------------------------------------------------------ links, monitors, exits (owner)

    public void link(Pid target) {
        if (target.equals(pid)) {
            return;
        }
        if (node.isLocal(target) && node.lookup(target) == null) {
            if (!trapExit) {
                throw new ExitException(Reasons.NOPROC);
            }
            synchronized (this) {
                relations().linkActive(target);
            }
            deliver(new Signal.Exit(target, Reasons.NOPROC, true));
            return;
        }
        synchronized (this) {
            relations().linkActive(target);
        }
        node.route(target, new Signal.Link(pid));
    }

    public void unlink(Pid target) {
        long id;
        synchronized (this) {
            Relations.LinkState s = relations == null ? null : relations.link(target);
            if (s == null || !s.active) {
                return;
            }
            id = node.nextUnlinkId();
            s.active = false;
            s.unlinkId = id;
        }
        node.route(target, new Signal.UnlinkId(pid, id));
    }

    /** Links this process and a child being spawned (which is not running yet), in both directions at once. */
    void linkChild(ProcessCore child) {
        synchronized (this) {
            relations().linkActive(child.pid);
        }
        synchronized (child) {
            child.relations().linkReceived(pid);
        }
    }

    /** Monitors a child being spawned (not running yet). */
    Ref monitorChild(ProcessCore child) {
        Ref ref = node.newRef();
        synchronized (this) {
            relations().addMonitor(ref, new Relations.Outgoing(child.pid, child.pid, false));
        }
        synchronized (child) {
            child.relations().addMonitoredBy(ref, new Relations.Incoming(pid, null));
        }
        return ref;
    }

    /**
     * Monitors a pid, a local registered name (Atom or String) or a {@link Name}; with {@code alias}, messages sent
     * to the returned reference as an alias are delivered until the monitor ends.
     */
    public Ref monitor(Object target, boolean alias) {
        Ref ref = node.newRef();
        switch (Name.destination(target)) {
            case Pid p -> {
                addMonitor(ref, new Relations.Outgoing(p, p, alias));
                node.route(p, new Signal.Monitor(pid, ref, null));
            }
            case Atom name -> monitorLocalName(ref, name, alias);
            case String name -> monitorLocalName(ref, Atom.of(name), alias);
            case Name n when node.name().equals(n.node()) -> monitorLocalName(ref, n.name(), alias);
            case Name n -> {
                addMonitor(ref, new Relations.Outgoing(n, null, alias));
                node.router().monitorName(node, pid, n, ref);
            }
            default -> throw new IllegalArgumentException("cannot monitor " + TermFormat.print(target)
                    + ": expected a pid, a registered name, {Name, Node} or a Name");
        }
        return ref;
    }

    private void monitorLocalName(Ref ref, Atom name, boolean alias) {
        ProcessCore target = node.whereis(name);
        Name item = new Name(name, node.name());
        addMonitor(ref, new Relations.Outgoing(item, target == null ? null : target.pid, alias));
        if (target == null) {
            deliver(new Signal.Down(ref, item, Reasons.NOPROC));
        } else {
            target.deliver(new Signal.Monitor(pid, ref, name));
        }
    }

    private void addMonitor(Ref ref, Relations.Outgoing monitor) {
        synchronized (this) {
            relations().addMonitor(ref, monitor);
        }
    }

    /** Ends a monitor; with {@code flush}, also drops its DOWN message if one is already queued. */
    public void demonitor(Ref ref, boolean flush) {
        Relations.Outgoing held;
        synchronized (this) {
            held = relations == null ? null : relations.removeMonitor(ref);
        }
        if (held != null) {
            if (held.alias()) {
                node.unregisterAlias(ref);
            }
            node.sendDemonitor(pid, ref, held.target(), held.resolved());
        }
        if (flush && saved != null) {
            saved.removeIf(m -> m instanceof Down d && d.ref().equals(ref));
        }
    }

    /** Erlang's {@code exit(Pid, Reason)}. */
    public void exitSignal(Pid target, Object reason) {
        node.route(target, new Signal.Exit(pid, reason, false));
    }

    public void trapExit(boolean trap) {
        trapExit = trap;
    }

    public boolean trapsExit() {
        return trapExit;
    }

    /** Asks to exit with {@code reason} once the current callback returns. */
    public void requestStop(Object reason) {
        stopReason = reason;
    }

    // ------------------------------------------------------------------ exit (owner)

    private ProcessExit crashed(Throwable t) {
        // exit(Reason) is a decision, not a crash: no stack trace for it (but a failed call is a crash)
        boolean decided = t instanceof io.ergon.node.ExitException && !(t instanceof io.ergon.node.CallException);
        crash = decided ? null : t;
        return markExit(Reasons.of(t), true);
    }

    private ProcessExit markExit(Object reason, boolean runTerminate) {
        if (exiting == null) {
            exiting = reason;
            exitRunsTerminate = runTerminate;
        } else if (terminating) {
            exiting = reason; // killed (or hit by an exit signal it does not trap) inside terminate: that is its end
        }
        return new ProcessExit(exiting, exitRunsTerminate);
    }

    /** Finishes an exit decided on this thread: the terminate callback, the crash report, then the exit itself. */
    void completeExit() {
        Object reason = exiting;
        boolean report = exitRunsTerminate;
        if (exitRunsTerminate && actor != null) {
            terminating = true;
            try {
                ActorAccess.get().terminate(actor, reason);
            } catch (ProcessExit e) {
                // an exit signal ended terminate early; exiting holds the final reason
            } catch (Throwable t) {
                LOG.error("{}: terminate({}) threw", pid, TermFormat.print(reason), t);
            } finally {
                terminating = false;
            }
        }
        if (!Reasons.isNormal(reason) && report) {
            String behaviour = actor == null ? "mailbox" : actor.getClass().getName();
            if (crash != null) {
                LOG.error("process {} ({}) crashed: {}", pid, behaviour, TermFormat.print(reason), crash);
            } else {
                LOG.warn("process {} ({}) exited: {}", pid, behaviour, TermFormat.print(reason));
            }
        }
        crash = null;
        finishExit(exiting);
    }

    /** Makes the exit final: answers what is still queued, signals links and monitors, leaves the node. */
    void finishExit(Object reason) {
        List<Pid> linked;
        Map<Ref, Relations.Outgoing> held;
        Map<Ref, Relations.Incoming> watchers;
        synchronized (this) {
            exitReason = reason;
            state = EXITED;
            linked = relations == null ? List.of() : relations.activeLinks();
            held = relations == null ? Map.of() : relations.monitors();
            watchers = relations == null ? Map.of() : relations.monitoredBy();
            relations = null;
        }
        node.unregisterOnExit(this);
        Object item;
        while ((item = poll()) != null) {
            node.answerDead(pid, item);
        }
        saved = null;
        for (Pid peer : linked) {
            node.route(peer, new Signal.Exit(pid, reason, true));
        }
        for (Map.Entry<Ref, Relations.Incoming> w : watchers.entrySet()) {
            Relations.Incoming who = w.getValue();
            Object item2 = who.name() == null ? pid : new Name(who.name(), node.name());
            node.route(who.from(), new Signal.Down(w.getKey(), item2, reason));
        }
        for (Map.Entry<Ref, Relations.Outgoing> m : held.entrySet()) {
            if (m.getValue().alias()) {
                node.unregisterAlias(m.getKey());
            }
            node.sendDemonitor(pid, m.getKey(), m.getValue().target(), m.getValue().resolved());
        }
        node.removeProcess(this);
        actor = null;
    }

    /**
     * Used by a mailbox handle: exits now, on its owner's thread. Its owner may not have received for a while, so
     * the links and monitors still queued are taken in first: they then learn the real exit reason.
     */
    public void exitNow(Object reason) {
        if (state == EXITED) {
            return;
        }
        if (exiting == null) {
            exiting = reason;
            Object item;
            while ((item = poll()) != null) {
                if (item instanceof Signal.Link || item instanceof Signal.Monitor || item instanceof Signal.UnlinkId
                        || item instanceof Signal.UnlinkAck || item instanceof Signal.Demonitor) {
                    onSignal((Signal) item);
                }
            }
        }
        completeExit();
    }

    /** Called when a {@link ProcessExit} reached a mailbox handle's owner: completes the exit, returns the reason. */
    public Object completeExitFromReceive() {
        Object reason = exiting;
        if (state != EXITED) {
            completeExit();
        }
        return reason;
    }

    // ------------------------------------------------------------------ introspection (any thread)

    private Relations relations() {
        Relations r = relations;
        if (r == null) {
            r = new Relations();
            relations = r;
        }
        return r;
    }

    private ArrayDeque<Object> saved() {
        ArrayDeque<Object> s = saved;
        if (s == null) {
            s = new ArrayDeque<>();
            saved = s;
        }
        return s;
    }

    /** A snapshot of this process, or null once it has exited. */
    public ProcessInfo info() {
        int s = state;
        if (s == EXITED) {
            return null;
        }
        ProcessStatus status = switch (s) {
            case IDLE -> ProcessStatus.IDLE;
            case WAITING, SUSPENDING, SUSPENDED -> ProcessStatus.WAITING;
            default -> ProcessStatus.RUNNABLE;
        };
        ArrayDeque<Object> sv = saved;
        int queued = queuedCount(10_000_000) + (sv == null ? 0 : sv.size());
        List<Pid> links;
        List<Object> monitors = new ArrayList<>();
        List<Pid> monitoredBy = new ArrayList<>();
        synchronized (this) {
            Relations r = relations;
            links = r == null ? List.of() : r.activeLinks();
            if (r != null) {
                r.monitors().values().forEach(o -> monitors.add(o.target()));
                r.monitoredBy().values().forEach(i -> monitoredBy.add(i.from()));
            }
        }
        Actor a = actor;
        return new ProcessInfo(pid, registeredName, status, queued, List.copyOf(links), List.copyOf(monitors),
                List.copyOf(monitoredBy), trapExit, a == null ? "Mailbox" : a.getClass().getName(), parent);
    }

    @Override
    public String toString() {
        return "Process" + pid;
    }
}
