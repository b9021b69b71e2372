package io.ergon.node.internal;

import io.ergon.node.Actor;
import io.ergon.node.BadArgumentException;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeClock;
import io.ergon.node.NodeStats;
import io.ergon.node.ProcessInfo;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnException;
import io.ergon.node.SpawnOptions;
import io.ergon.node.Spawned;
import io.ergon.node.TimerRef;
import io.ergon.node.spi.InboundMessage;
import io.ergon.term.Atom;
import io.ergon.term.ImproperList;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import io.ergon.term.internal.LocalHandles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime behind a {@link Node}: the process table, registered names, routing of messages and signals, spawning,
 * timers and shutdown.
 *
 * <p>Why one class of some 500 lines: all of it is the node's process table and what reads or changes it (a name or
 * an alias is another key into it, routing and timers look a process up in it, spawning adds to it and shutdown walks
 * it); the rules of a single process are in {@link ProcessCore} and its helpers, the scheduling in {@link Scheduler}.
 */
public final class NodeCore {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    private static final Atom GEN_CAST = Atom.of("$gen_cast");
    private static final Atom ALIAS = Atom.of("alias");
    private static final Atom ALREADY_STARTED = Atom.of("already_started");

    private final Node facade;
    private final Atom name;
    private final int creation;
    private final Scheduler scheduler;
    private final ConcurrentHashMap<Pid, ProcessCore> processes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Atom, ProcessCore> names = new ConcurrentHashMap<>();
    /** Aliases other nodes may send to (those of calls to remote processes). */
    private final ConcurrentHashMap<Ref, ProcessCore> aliases = new ConcurrentHashMap<>();
    private final AtomicLong pidCounter = new AtomicLong(1);
    private final AtomicLong refCounter = new AtomicLong();
    private final AtomicLong unlinkIds = new AtomicLong();
    /** The timers on real time; null when the node's clock is another, and {@link #clockTimers} keeps them. */
    private final ScheduledThreadPoolExecutor timers;
    private final ClockTimers clockTimers;
    private final AutoCloseable clockWatch;
    private final Pid systemPid;
    private final NodeCounters counters = new NodeCounters();
    private volatile RemoteRouter router = RemoteRouter.NONE;
    private volatile boolean stopping;

    public NodeCore(Node facade, Atom name, int creation, int parallelism, NodeClock clock) {
        this.facade = facade;
        this.name = name;
        this.creation = creation;
        this.scheduler = new Scheduler(name.name(), parallelism, clock);
        if (clock == NodeClock.system()) {
            this.timers = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon()
                    .name("ergon-timer-" + name.name()).unstarted(() -> {
                        SystemThreads.markNonBlocking();
                        r.run();
                    }));
            timers.setRemoveOnCancelPolicy(true);
            this.clockTimers = null;
            this.clockWatch = () -> { };
        } else {
            this.timers = null;
            this.clockTimers = new ClockTimers(clock);
            this.clockWatch = clock.whenAdvanced(this::clockAdvanced);
        }
        this.systemPid = new Pid(name, 0, 0, creation);
        TermFormat.registerLocalNode(name);
    }

    public Node facade() {
        return facade;
    }

    public Atom name() {
        return name;
    }

    public int creation() {
        return creation;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /** The node's counters and listeners (see {@link NodeCounters}). */
    public NodeCounters counters() {
        return counters;
    }

    /** Worker virtual threads alive now, parked spares included (diagnostics and tests). */
    public int workerThreads() {
        return scheduler.pool.workers.size();
    }

    /**
     * Whether a process that waits in a receive on a worker gives the worker back (its continuation suspended) rather
     * than parking it: true where the JVM lets Ergon use continuations (see {@code Continuations}).
     */
    public static boolean suspendsWaitingProcesses() {
        return Continuations.AVAILABLE;
    }

    /** Starts a thread of the runtime's own on the node's carriers (see {@link Scheduler#startSystemThread}). */
    public Thread startSystemThread(String threadName, Runnable body) {
        return scheduler.startSystemThread(threadName, body);
    }

    public RemoteRouter router() {
        return router;
    }

    public void setRouter(RemoteRouter router) {
        this.router = router;
    }

    /** The pid that stands for the node itself (Erlang's {@code init}) in signals sent from outside any process. */
    public Pid systemPid() {
        return systemPid;
    }

    public boolean isLocal(Pid pid) {
        return pid.node() == name;
    }

    // ------------------------------------------------------------------ identities

    Pid allocatePid(ProcessCore process) {
        while (true) {
            long n = pidCounter.getAndIncrement();
            // Erlang's classic layout (15-bit id, 13-bit serial) fits every peer, with or without V4_NC
            int id = (int) (n & 0x7fff);
            int serial = (int) ((n >>> 15) & 0x1fff);
            if (id == 0 && serial == 0) {
                continue; // <0.0.0> is the system pid
            }
            Pid pid = LocalHandles.localPid(name, id, serial, creation, process);
            if (!processes.containsKey(pid)) {
                return pid;
            }
        }
    }

    public Ref newRef() {
        long n = refCounter.incrementAndGet();
        return new Ref(name, creation, (int) (n & 0x3ffff), (int) (n >>> 18), (int) (n >>> 50));
    }

    long nextUnlinkId() {
        return unlinkIds.incrementAndGet();
    }

    // ------------------------------------------------------------------ processes

    /**
     * Spawns a process: makes it, registers and links it as asked, runs its init on this thread.
     *
     * @param spawner the spawning process, or null from outside any process (then no link or monitor)
     * @throws SpawnException if it did not start
     */
    public Spawned spawn(Supplier<? extends Actor> factory, SpawnOptions options, ProcessCore spawner) {
        if ((options.linked() || options.monitored()) && spawner == null) {
            throw new IllegalStateException("link and monitor options need a spawning process");
        }
        checkRunning();
        Actor actor;
        try {
            actor = factory.get();
        } catch (RuntimeException | Error e) {
            throw new SpawnException(Reasons.of(e), e);
        }
        if (actor == null) {
            throw new IllegalArgumentException("the factory returned null instead of an Actor");
        }
        ProcessCore p = new ProcessCore(this, actor, spawner == null ? null : spawner.pid());
        ActorAccess.get().bind(actor, p);
        processes.put(p.pid(), p);
        if (options.name() != null) {
            ProcessCore holder = register(options.name(), p);
            if (holder != null) {
                processes.remove(p.pid());
                throw new SpawnException(Tuple.of(ALREADY_STARTED, holder.pid()), null);
            }
        }
        if (options.linked()) {
            spawner.linkChild(p);
        }
        Ref ref = options.monitored() ? spawner.monitorChild(p) : null;
        counters.spawned();
        p.runInit();
        return new Spawned(p.pid(), ref);
    }

    /**
     * Spawns a process for a requester on another node: links it to and/or lets it be monitored by
     * {@code requester} before anything runs, calls {@code beforeInit} with the new pid (to send the spawn reply
     * first), then runs init on this thread.
     *
     * @return the pid, also when init failed (the process then exited, and the requester hears of it through the
     *     link or monitor)
     */
    public Pid spawnFor(Supplier<? extends Actor> factory, Pid requester, boolean link, Ref monitor,
                        java.util.function.Consumer<Pid> beforeInit) {
        checkRunning();
        Actor actor = factory.get();
        ProcessCore p = new ProcessCore(this, actor, requester);
        ActorAccess.get().bind(actor, p);
        processes.put(p.pid(), p);
        p.acceptRemoteRequester(requester, link, monitor);
        beforeInit.accept(p.pid());
        counters.spawned();
        try {
            p.runInit();
        } catch (SpawnException failed) {
            // it exited; its link or monitor tells the requester
        }
        return p.pid();
    }

    /** A process handle for a thread that is not a process (a {@link io.ergon.node.Mailbox}). */
    public ProcessCore newMailboxProcess(Atom registerAs) {
        checkRunning();
        ProcessCore p = new ProcessCore(this, null, null);
        processes.put(p.pid(), p);
        if (registerAs != null) {
            ProcessCore holder = register(registerAs, p);
            if (holder != null) {
                processes.remove(p.pid());
                throw new IllegalArgumentException("the name " + registerAs + " is already registered to "
                        + holder.pid());
            }
        }
        return p;
    }

    void removeProcess(ProcessCore p) {
        processes.remove(p.pid(), p);
    }

    public ProcessCore lookup(Pid pid) {
        if (!isLocal(pid) || pid.creation() != creation) {
            return null;
        }
        Object h = LocalHandles.process(pid);
        ProcessCore p = h instanceof ProcessCore pc && pc.node() == this ? pc : processes.get(pid);
        return p != null && p.isAlive() ? p : null;
    }

    public List<Pid> processes() {
        return new ArrayList<>(processes.keySet());
    }

    public int processCount() {
        return processes.size();
    }

    public ProcessInfo info(Pid pid) {
        ProcessCore p = lookup(pid);
        return p == null ? null : p.info();
    }

    // ------------------------------------------------------------------ counts

    /**
     * The node's counters now, with the connections' as the distribution layer reports them (see
     * {@link NodeStats}). Reads each count once, without a lock on any process.
     */
    public NodeStats stats(List<NodeStats.Connection> connections) {
        long handled = scheduler.messagesHandled() + counters.handledOutsideTurnsCount();
        return new NodeStats(name, processes.size(), counters.spawnedCount(), counters.exitedCount(),
                counters.crashedCount(), handled, counters.restartCount(), connections);
    }

    /**
     * The {@code limit} processes with the most messages and signals queued, most first; processes with none are
     * left out. Walks the process table once and, for each process with something queued, its queue (up to
     * {@link #MAILBOX_COUNT_LIMIT}): meant for a sampler every few seconds, not for a hot path.
     */
    public List<NodeStats.MailboxDepth> largestMailboxes(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("negative limit: " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        // a min-heap of the largest so far: its head is the first to go when a larger one comes
        PriorityQueue<NodeStats.MailboxDepth> top = new PriorityQueue<>(limit + 1,
                Comparator.comparingInt(NodeStats.MailboxDepth::depth));
        for (ProcessCore p : processes.values()) {
            int depth = p.queuedDepth(MAILBOX_COUNT_LIMIT);
            if (depth == 0 || (top.size() == limit && depth <= top.peek().depth())) {
                continue;
            }
            top.add(new NodeStats.MailboxDepth(p.pid(), p.registeredName, depth, p.handled));
            if (top.size() > limit) {
                top.poll();
            }
        }
        List<NodeStats.MailboxDepth> out = new ArrayList<>(top);
        out.sort(Comparator.comparingInt(NodeStats.MailboxDepth::depth).reversed());
        return out;
    }

    /** Counting one mailbox for {@link #largestMailboxes} stops here: a runaway queue is not walked to its end. */
    static final int MAILBOX_COUNT_LIMIT = 1_000_000;

    // ------------------------------------------------------------------ aliases

    void registerAlias(Ref alias, ProcessCore owner) {
        aliases.put(alias, owner);
    }

    void unregisterAlias(Ref alias) {
        aliases.remove(alias);
    }

    /** Delivers a message another node sent to an alias; dropped if no process has it (any more). */
    public void sendToAlias(Ref alias, Object message) {
        ProcessCore owner = aliases.get(alias);
        if (owner != null) {
            owner.deliver(new Signal.AliasMessage(alias, message));
        } else {
            dropInbound(message);
        }
    }

    // ------------------------------------------------------------------ names

    /** Registers {@code p} as {@code name}; returns the current holder if the name is taken, else null. */
    public ProcessCore register(Atom name, ProcessCore p) {
        if (name == Atom.UNDEFINED) {
            throw new IllegalArgumentException("'undefined' cannot be registered");
        }
        synchronized (p) {
            if (p.registeredName != null) {
                throw new IllegalArgumentException(p.pid() + " is already registered as " + p.registeredName);
            }
            if (!p.isAlive()) {
                throw new IllegalArgumentException(p.pid() + " is not alive");
            }
            ProcessCore holder = names.putIfAbsent(name, p);
            if (holder != null) {
                return holder;
            }
            p.registeredName = name;
            return null;
        }
    }

    public boolean unregister(Atom name) {
        ProcessCore p = names.remove(name);
        if (p == null) {
            return false;
        }
        synchronized (p) {
            p.registeredName = null;
        }
        return true;
    }

    void unregisterOnExit(ProcessCore p) {
        Atom n = p.registeredName;
        if (n != null) {
            names.remove(n, p);
        }
    }

    public ProcessCore whereis(Atom name) {
        ProcessCore p = names.get(name);
        return p != null && p.isAlive() ? p : null;
    }

    public List<Atom> registered() {
        return new ArrayList<>(names.keySet());
    }

    // ------------------------------------------------------------------ routing

    /** Delivers a message or signal to a pid, local or remote. */
    public void route(Pid to, Object item) {
        if (to.node() != name) {
            router.route(this, to, item);
            return;
        }
        ProcessCore p = null;
        if (to.creation() == creation) {
            Object h = LocalHandles.process(to);
            p = h instanceof ProcessCore pc && pc.node() == this ? pc : processes.get(to);
        }
        if (p == null) {
            answerDead(to, item);
        } else {
            p.deliver(item);
        }
    }

    /** What the runtime answers for a signal that reaches a process that does not exist. */
    void answerDead(Pid dead, Object item) {
        answerUndelivered(dead, item, Reasons.NOPROC);
    }

    /**
     * Erlang's one rule for a link or monitor that cannot reach {@code target}: the link is answered with an exit
     * signal, the monitor with a DOWN, both with {@code reason} ({@code noproc} for a process that does not exist,
     * {@code noconnection} for one on a node that cannot be reached); any other signal is dropped. An answer is
     * claimed once, as a signal racing with its target's exit may be answered from either side.
     */
    void answerUndelivered(Pid target, Object item, Atom reason) {
        if (item instanceof Signal.Link l && l.claim()) {
            route(l.from, new Signal.Exit(target, reason, true));
        } else if (item instanceof Signal.Monitor m && m.claim()) {
            Object what = m.name == null ? target : new Name(m.name, target.node());
            route(m.from, new Signal.Down(m.ref, what, reason));
        } else {
            dropInbound(item);
        }
    }

    /**
     * Releases the cost of a message from another node that will never be received ({@link InboundMessage}), bare or
     * sent to an alias; does nothing for any other item.
     */
    static void dropInbound(Object item) {
        if (item instanceof InboundMessage in) {
            in.drop();
        } else if (item instanceof Signal.AliasMessage a && a.message instanceof InboundMessage in) {
            in.drop();
        }
    }

    /**
     * Erlang's send: to a pid, a local name ({@code Atom} or {@code String}) or a {@link Name}.
     *
     * @throws BadArgumentException for a local name nobody registered
     * @throws IllegalArgumentException for a destination of another type
     */
    public void send(Pid from, Object to, Object message) {
        switch (Name.destination(to)) {
            case Pid p -> route(p, message);
            case Atom a -> sendToLocalName(a, message, true);
            case String s -> sendToLocalName(Atom.of(s), message, true);
            case Name n when n.node() == name -> sendToLocalName(n.name(), message, true);
            case Name n -> router.sendToName(this, from == null ? systemPid : from, n, message);
            case null -> throw new IllegalArgumentException("the destination is null");
            default -> throw new IllegalArgumentException("cannot send to " + TermFormat.print(to)
                    + ": expected a pid, a registered name, {Name, Node} or a Name");
        }
    }

    /** Like {@link #send} but never throws for a missing name (what casts and timers need). */
    public void sendQuietly(Pid from, Object to, Object message) {
        switch (Name.destination(to)) {
            case Atom a -> sendToLocalName(a, message, false);
            case String s -> sendToLocalName(Atom.of(s), message, false);
            case Name n when n.node() == name -> sendToLocalName(n.name(), message, false);
            default -> send(from, to, message);
        }
    }

    private void sendToLocalName(Atom name, Object message, boolean strict) {
        ProcessCore p = names.get(name);
        if (p != null) {
            p.deliver(message);
        } else if (strict) {
            throw new BadArgumentException("no process is registered as " + TermFormat.print(name));
        } else {
            dropInbound(message);
        }
    }

    /** {@code gen_server:cast}: sends {@code {'$gen_cast', Message}}; never fails. */
    public void cast(Pid from, Object to, Object message) {
        sendQuietly(from, to, Tuple.of(GEN_CAST, message));
    }

    /** Erlang's {@code exit(To, Reason)} sent by {@code from}. */
    public void exitSignal(Pid from, Pid to, Object reason) {
        route(to, new Signal.Exit(from, reason, false));
    }

    /** Answers a call: {@code {Tag, Reply}}, through the alias when the tag is {@code [alias | Ref]}. */
    public void reply(Pid caller, Object tag, Object reply) {
        Tuple message = Tuple.of(tag, reply);
        if (tag instanceof ImproperList l && l.tail() instanceof Ref alias && l.elements().size() == 1
                && l.elements().get(0) == ALIAS) {
            if (caller.node() == name) {
                route(caller, new Signal.AliasMessage(alias, message));
            } else {
                router.sendToAlias(this, systemPid, alias, message);
            }
        } else {
            route(caller, message);
        }
    }

    void sendDemonitor(Pid from, Ref ref, Object target, Pid resolved) {
        if (resolved != null) {
            route(resolved, new Signal.Demonitor(from, ref));
        } else if (target instanceof Name n && n.node() != name) {
            router.demonitorName(this, from, n, ref);
        }
    }

    // ------------------------------------------------------------------ timers

    public TimerRef sendAfter(Pid from, Object to, Object message, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
        AtomicBoolean settled = new AtomicBoolean(); // the timer and TimerRef.cancel race for it
        Runnable fire = () -> {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            try {
                sendQuietly(from, to, message);
            } catch (RuntimeException e) {
                LOG.warn("a timer could not deliver to {}: {}", to, e.getMessage());
            }
        };
        long nanos = delay.toNanos();
        return new TimerRef(timers != null ? timers.schedule(fire, nanos, TimeUnit.NANOSECONDS)
                : clockTimers.schedule(fire, nanos), settled);
    }

    /**
     * The node's clock jumped (a test moved its manual clock on): the timers due by now run in deadline order, each
     * after the receives due before it have timed out, and then the rest of the receives due.
     */
    private void clockAdvanced() {
        ReceiveTimeouts wheel = scheduler.timeouts();
        clockTimers.runDue(due -> wheel.expire(wheel.tickAt(due)));
        wheel.expire(wheel.nowTick());
    }

    // ------------------------------------------------------------------ shutdown

    public boolean isStopping() {
        return stopping;
    }

    private void checkRunning() {
        if (stopping) {
            throw new IllegalStateException("node " + name + " is shutting down");
        }
    }

    /** A mailbox handle nobody is using cannot take the shutdown signal itself: close it from here. */
    private static void closeIdleMailbox(ProcessCore p) {
        var lock = p.ownerLock();
        if (lock != null && lock.tryLock()) {
            try {
                p.exitNow(Reasons.SHUTDOWN);
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Stops every process (each runs its terminate callback with reason {@code shutdown}) and waits for them up to
     * {@code deadline}; processes still running then are abandoned and reported. Then runs {@code beforeThreadsStop}
     * (a distribution closes its connections there, as their writers run on the node's threads) and stops the
     * node's threads.
     *
     * @return true if every process terminated in time
     */
    public boolean shutdown(Duration deadline, Runnable beforeThreadsStop) {
        stopping = true;
        long end = System.nanoTime() + deadline.toNanos();
        for (ProcessCore p : processes.values()) {
            p.deliver(new Signal.Shutdown(Reasons.SHUTDOWN));
            closeIdleMailbox(p);
        }
        for (int turn = 1; !processes.isEmpty() && System.nanoTime() < end; turn++) {
            if (turn % 25 == 0) {
                // a mailbox whose thread was inside a call a moment ago holds the shutdown signal until its next
                // use, which may never come: close it once its thread has let go
                processes.values().forEach(NodeCore::closeIdleMailbox);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boolean clean = processes.isEmpty();
        if (!clean) {
            List<String> stuck = new ArrayList<>();
            for (ProcessCore p : processes.values()) {
                if (stuck.size() < 10) {
                    ProcessInfo info = p.info();
                    stuck.add(p.pid() + (info == null ? "" : " (" + info.behaviour() + ", " + info.status() + ")"));
                }
            }
            LOG.warn("node {}: {} process(es) did not stop within {}; abandoning them: {}", name,
                    processes.size(), deadline, stuck);
            processes.clear();
            names.clear();
        }
        try {
            beforeThreadsStop.run();
        } finally {
            scheduler.stop();
            stopTimers();
        }
        TermFormat.unregisterLocalNode(name);
        return clean;
    }

    private void stopTimers() {
        if (timers != null) {
            timers.shutdownNow();
            return;
        }
        clockTimers.clear();
        try {
            clockWatch.close();
        } catch (Exception e) {
            LOG.warn("node {}: its clock failed to let it go: {}", name, e.toString());
        }
    }
}
