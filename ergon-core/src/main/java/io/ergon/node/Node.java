package io.ergon.node;

import io.ergon.api.Experimental;
import io.ergon.api.InternalApi;
import io.ergon.node.internal.LocalNodeAdapter;
import io.ergon.node.internal.NodeCore;
import io.ergon.node.internal.ProcessCore;
import io.ergon.node.spi.DistributionProvider;
import io.ergon.node.spi.NodeDistribution;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Ergon node: a named runtime that hosts processes. Start one with {@link #start(String)}, spawn
 * {@link Actor}s on it, talk to them with {@link #send}, {@link #cast} and {@link #call}, and close it to stop
 * every process gracefully.
 *
 * <pre>{@code
 * try (Node node = Node.start("demo@localhost")) {
 *     Pid greeter = node.spawnRegister("greeter", Greeter::new);
 *     node.cast("greeter", "Hello Ergon!");
 *     String reply = node.call(greeter, new Greet("Ada"), Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Messages between processes of one node are passed by reference, not copied: send immutable values (records,
 * terms, immutable collections).
 *
 * <p>All methods are thread-safe. Methods that act "from outside" (send, call, exit) use the node's system pid
 * {@code <0.0.0>} as the sender; a thread that needs a pid of its own uses a {@link Mailbox}.
 *
 * <p>This class is the node's public face only (some 500 lines, most of them Javadoc of the user's operations); every
 * rule it applies is in {@code io.ergon.node.internal}.
 */
public final class Node implements AutoCloseable {
    /** The timeout of {@code call} without one: 5 seconds, as in OTP. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);
    /** alive@host; the host a name, an IPv4 address, or an IPv6 address as Erlang writes it ({@code app@fd00::5}). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-]+@[A-Za-z0-9_\\-.:]+");

    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    private static final Atom NET_KERNEL = Atom.of("net_kernel");
    private static final Atom IS_AUTH = Atom.of("is_auth");
    private static final Atom YES = Atom.of("yes");

    private final NodeCore core;
    private final NodeOptions options;
    private final NodeDistribution distribution;
    private final ConcurrentHashMap<Class<?>, Object> extensions = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<Duration>> shutdownHooks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean shutdownBegun = new AtomicBoolean();
    private final CompletableFuture<Boolean> terminated = new CompletableFuture<>();
    /**
     * Mailboxes that served a {@link #call} from a plain thread and were left as they opened, kept for the next:
     * opening and closing one is a process's spawn and exit, which cost a plain thread's call more than the call.
     * Only a call that returned a reply, with nothing left behind, gives its mailbox back; a failed one closes it.
     */
    private final ConcurrentLinkedQueue<Mailbox> callers =
            new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooledCallers = new AtomicInteger();
    /** At most this many idle call mailboxes: about the plain threads that call at once on a busy server. */
    private static final int MAX_POOLED_CALLERS = 64;

    private Node(Atom name, NodeOptions options, int creation, NodeDistribution distribution) {
        this.options = options;
        this.distribution = distribution;
        this.core = new NodeCore(this, name, creation, options.parallelism(), options.clock());
    }

    /** Starts a node with default options. */
    public static Node start(String name) {
        return start(name, NodeOptions.defaults());
    }

    /**
     * Starts a node.
     *
     * @param name {@code alive@host}, e.g. {@code demo@localhost}
     * @throws IllegalArgumentException if the name is not of that form
     * @throws UncheckedIOException if a distributed node cannot listen or register with EPMD (e.g. the name is
     *     taken)
     * @throws IllegalStateException if a distributed node is asked for and no distribution layer is installed
     */
    public static Node start(String name, NodeOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a node name is alive@host (letters, digits, _ and - before the @; a host "
                    + "name or address after it), not '"
                    + name + "'");
        }
        Atom atom = Atom.of(name);
        if (!options.distributed()) {
            return new Node(atom, options, ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE), null);
        }
        NodeDistribution dist;
        try {
            dist = DistributionLayer.provider().open(atom, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + name + ": " + e.getMessage(), e);
        }
        Node node = new Node(atom, options, dist.creation(), dist);
        dist.attach(new LocalNodeAdapter(node.core));
        return node;
    }

    /** The distribution layer, looked up once, on first use: the node does not know the package that provides it. */
    private static final class DistributionLayer {
        private static final Optional<DistributionProvider> FOUND = ServiceLoader
                .load(DistributionProvider.class, DistributionProvider.class.getClassLoader()).findFirst();

        /** @throws IllegalStateException if none is installed (ergon-core's own is missing from the build) */
        static DistributionProvider provider() {
            return FOUND.orElseThrow(() -> new IllegalStateException("no distribution layer is installed: "
                    + "ergon-core's io.ergon.net provides one (module-info 'provides', META-INF/services)"));
        }
    }

    /** The node's name. */
    public Atom name() {
        return core.name();
    }

    /** The node's creation: its incarnation number, part of every pid and reference it makes. */
    public int creation() {
        return core.creation();
    }

    /** The options it runs with. */
    public NodeOptions options() {
        return options;
    }

    // ---- processes

    /** Spawns a process; its {@code init} has run when this returns. @throws SpawnException if it did not start */
    public Pid spawn(Supplier<? extends Actor> factory) {
        return core.spawn(factory, SpawnOptions.none(), null).pid();
    }

    /** Spawns a process registered as {@code name}. @throws SpawnException if it did not start or the name is taken */
    public Pid spawnRegister(String name, Supplier<? extends Actor> factory) {
        return core.spawn(factory, SpawnOptions.none().register(name), null).pid();
    }

    /** Spawns with options; from outside a process only {@link SpawnOptions#register} applies. */
    public Pid spawn(Supplier<? extends Actor> factory, SpawnOptions options) {
        return core.spawn(factory, options, null).pid();
    }

    /** Opens a mailbox handle for the calling code. */
    public Mailbox mailbox() {
        return new Mailbox(core.newMailboxProcess(null));
    }

    /** Opens a mailbox handle registered as {@code name}. */
    public Mailbox mailbox(String name) {
        return new Mailbox(core.newMailboxProcess(Atom.of(name)));
    }

    /** The pids of all live processes (and mailboxes). */
    public List<Pid> processes() {
        return core.processes();
    }

    /** How many processes live on this node. */
    public int processCount() {
        return core.processCount();
    }

    /** A snapshot of a local process, or null if it is not alive. */
    public ProcessInfo info(Pid pid) {
        return core.info(pid);
    }

    /** True if {@code pid} is a live process of this node. */
    public boolean isAlive(Pid pid) {
        return core.lookup(pid) != null;
    }

    // ---- counters and events

    /**
     * The node's counters now: processes, spawns, exits, crashes, messages handled, supervisor restarts, and the
     * traffic with each peer (see {@link NodeStats} for what each counts). Cheap enough to call every second: it adds
     * up a few counters and one entry per peer, and touches no process.
     */
    @Experimental
    public NodeStats stats() {
        return core.stats(distribution == null ? List.of() : distribution.connectionStats());
    }

    /**
     * The {@code limit} processes with the most messages (and signals) waiting, most first; processes with an empty
     * mailbox are left out, so the list may be shorter. It looks at every process and counts the queue of each that
     * has one (up to a million each), so it costs in proportion to the processes and their queued messages: sample it
     * every few seconds, not per message.
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    @Experimental
    public List<NodeStats.MailboxDepth> largestMailboxes(int limit) {
        return core.largestMailboxes(limit);
    }

    /**
     * Adds a listener for the node's events (crashes, supervisor restarts, and call timings if it asks for them);
     * {@link NodeListener} states what it may do. The same listener added twice is called twice.
     */
    @Experimental
    public void addListener(NodeListener listener) {
        core.counters().addListener(listener);
    }

    /** Removes a listener added with {@link #addListener} (once); false if it was not registered. */
    @Experimental
    public boolean removeListener(NodeListener listener) {
        return core.counters().removeListener(listener);
    }

    /**
     * Counts a restart by a supervisor of this node and tells the listeners. Called by {@code io.ergon.gen}'s
     * supervisors on their own thread.
     */
    @InternalApi
    public void supervisorRestarted(NodeListener.SupervisorRestart restart) {
        core.counters().supervisorRestarted(Objects.requireNonNull(restart, "restart"));
    }

    /**
     * Runs {@code hook} once, with the exit reason, when the local process {@code pid} exits: on that process's
     * thread, once it is no longer alive and before its links and monitors learn of the exit. How ergon-io closes a
     * socket with its owner without a process of its own, as Erlang's runtime closes a port with its owner. False,
     * and the hook never runs, if {@code pid} is not a live process of this node. The hook must be short and should
     * not throw (what it throws is logged).
     */
    @InternalApi
    public boolean addExitHook(Pid pid, Consumer<Object> hook) {
        Objects.requireNonNull(hook, "hook");
        ProcessCore p = core.lookup(pid);
        return p != null && p.addExitHook(hook);
    }

    /**
     * Removes a hook added with {@link #addExitHook} (the same object); false if it was not there: it has run, or
     * runs now, as the process exits.
     */
    @InternalApi
    public boolean removeExitHook(Pid pid, Consumer<Object> hook) {
        ProcessCore p = core.lookup(pid);
        return p != null && p.removeExitHook(hook);
    }

    // ---- names

    /** Registers {@code pid} as {@code name}. @throws IllegalArgumentException if the name or the pid is taken, or the pid is not alive */
    public void register(String name, Pid pid) {
        Atom n = Atom.of(name);
        ProcessCore p = core.lookup(pid);
        if (p == null) {
            throw new IllegalArgumentException("cannot register " + name + ": " + pid + " is not a live local process");
        }
        ProcessCore holder = core.register(n, p);
        if (holder != null) {
            throw new IllegalArgumentException("the name " + n + " is already registered to " + holder.pid());
        }
    }

    /** Removes a registered name; false if it was not registered. */
    public boolean unregister(String name) {
        return core.unregister(Atom.of(name));
    }

    /** The pid registered as {@code name}, or null. */
    public Pid whereis(String name) {
        ProcessCore p = core.whereis(Atom.of(name));
        return p == null ? null : p.pid();
    }

    /** All registered names. */
    public List<Atom> registered() {
        return core.registered();
    }

    // ---- messages

    /**
     * Sends a message to a pid, a registered name or a {@link Name}. Never blocks.
     *
     * @throws BadArgumentException if a local name is not registered (Erlang's {@code badarg})
     */
    public void send(Object to, Object message) {
        core.send(null, to, message);
    }

    /** Sends {@code {'$gen_cast', Message}} (a GenServer's {@code handleCast}); never fails. */
    public void cast(Object to, Object message) {
        core.cast(null, to, message);
    }

    /** Calls a GenServer with the default 5-second timeout. */
    public <T> T call(Object to, Object request) {
        return call(to, request, DEFAULT_CALL_TIMEOUT);
    }

    /**
     * Calls a GenServer and waits for its reply.
     *
     * @param timeout how long to wait; null waits forever
     * @throws CallTimeoutException if no reply came in time
     * @throws CallException if the callee does not exist or exits before replying
     */
    public <T> T call(Object to, Object request, Duration timeout) {
        Mailbox m = borrowCaller();
        boolean reuse = false;
        try {
            T reply = m.call(to, request, timeout);
            reuse = m.isPristine();
            return reply;
        } finally {
            if (reuse && pooledCallers.incrementAndGet() <= MAX_POOLED_CALLERS) {
                callers.offer(m);
            } else {
                if (reuse) {
                    pooledCallers.decrementAndGet();
                }
                m.close();
            }
        }
    }

    /**
     * A call whose reply is converted to {@code type} (the conversions are
     * {@link ProcessContext#callAs(Object, Object, Class, Duration)}'s), with the default 5-second timeout.
     *
     * @throws ReplyTypeException if the reply does not convert (it names the reply and both types)
     * @throws CallTimeoutException if no reply came in time
     * @throws CallException if the callee does not exist or exits before replying
     */
    public <T> T callAs(Object to, Object request, Class<T> type) {
        return callAs(to, request, type, DEFAULT_CALL_TIMEOUT);
    }

    /** {@link #callAs(Object, Object, Class)} with a timeout of its own (null waits forever). */
    public <T> T callAs(Object to, Object request, Class<T> type, Duration timeout) {
        Object reply = call(to, request, timeout);
        return TypedReplies.as(this, to, reply, type);
    }

    /**
     * Starts a typed call and returns at once: the stage completes with the converted reply, or exceptionally with
     * the {@link CallException}, {@link CallTimeoutException} or {@link ReplyTypeException} the blocking call would
     * have thrown. The call waits on a virtual thread of its own (the JDK's, not the node's workers), so thousands
     * may be in flight; use it from code that is not a process (a web handler, a reactive pipeline). Inside a
     * process, call and wait, as a GenServer does.
     */
    public <T> CompletableFuture<T> callAsync(Object to, Object request, Class<T> type, Duration timeout) {
        Objects.requireNonNull(type, "type");
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().name("ergon-call-async").start(() -> {
            try {
                result.complete(callAs(to, request, type, timeout));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** {@link #callAsync(Object, Object, Class, Duration)} with the default 5-second timeout. */
    public <T> CompletableFuture<T> callAsync(Object to, Object request, Class<T> type) {
        return callAsync(to, request, type, DEFAULT_CALL_TIMEOUT);
    }

    /** A pooled call mailbox that is still open (an exit signal may have closed one while it waited), or a new one. */
    private Mailbox borrowCaller() {
        Mailbox m;
        while ((m = callers.poll()) != null) {
            pooledCallers.decrementAndGet();
            if (!m.isClosed()) {
                return m;
            }
        }
        return mailbox();
    }

    /** Erlang's {@code make_ref()}: a reference unique on this node's incarnation. */
    public io.ergon.term.Ref makeRef() {
        return core.newRef();
    }

    /** Sends an exit signal (Erlang's {@code exit/2}) from the node's system pid. */
    public void exit(Pid pid, Object reason) {
        core.exitSignal(core.systemPid(), pid, reason);
    }

    /** Sends {@code message} to {@code to} after {@code delay}; cancel with {@link TimerRef#cancel()}. */
    public TimerRef sendAfter(Object to, Object message, Duration delay) {
        return core.sendAfter(null, to, message, delay);
    }

    // ---- distribution

    /**
     * True if this node takes part in distribution ({@link NodeOptions#distributed(boolean)}). Its remote procedure
     * calls, both ways, are {@code io.ergon.net.Rpc.of(node)}.
     */
    public boolean isDistributed() {
        return distribution != null;
    }

    /** The port this node accepts distribution connections on. @throws IllegalStateException if not distributed */
    public int port() {
        return distribution().port();
    }

    /**
     * Connects to another node, if not connected yet, and waits for the handshake (Erlang's
     * {@code net_kernel:connect_node/1}).
     *
     * @return true if connected
     * @throws IllegalStateException if this node is not distributed
     */
    public boolean connect(String node) {
        return distribution().connect(Atom.of(node));
    }

    /**
     * {@link #connect}, for a caller that wants to know why a connection cannot be made: the handshake's refusal, a
     * certificate the TLS layer rejected (untrusted, expired, naming another host), a plain-TCP peer of a TLS node,
     * no such node. The same reason is in the node's log.
     *
     * @throws NodeConnectException if not connected, with the reason
     * @throws IllegalStateException if this node is not distributed
     */
    public void connectOrThrow(String node) {
        String failure = distribution().connectFailure(Atom.of(node));
        if (failure != null) {
            throw new NodeConnectException(node, failure);
        }
    }

    /**
     * Tells this node where another node is, as discovery learns it at run time ({@code io.ergon.net.discovery}):
     * the next connection to {@code node} goes to {@code address} (null: the address its name's host resolves to)
     * and {@code port} (0: the port EPMD gives, or the shared port of a node without EPMD). It takes precedence
     * over {@link NodeOptions#peerPort}; {@code locatePeer(node, null, 0)} forgets it. A connection that is up is
     * left as it is.
     *
     * @throws IllegalStateException if this node is not distributed
     * @throws IllegalArgumentException if the port is not 0..65535 or {@code node} is not {@code alive@host}
     */
    @Experimental
    public void locatePeer(String node, java.net.InetAddress address, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("a port is 0..65535, not " + port);
        }
        int at = node.indexOf('@');
        if (at <= 0 || at == node.length() - 1) {
            throw new IllegalArgumentException("a node name is alive@host, not '" + node + "'");
        }
        distribution().locate(Atom.of(node), address, port);
    }

    /** Closes the connection to a node; false if there was none. */
    public boolean disconnect(String node) {
        return distribution().disconnect(Atom.of(node));
    }

    /** The nodes connected now (empty for a node that is not distributed). */
    public List<Atom> nodes() {
        return distribution == null ? List.of() : distribution.nodes();
    }

    /**
     * Erlang's {@code net_adm:ping/1}: connects and asks the node's {@code net_kernel} whether it accepts us.
     *
     * @return true for {@code pong}, false for {@code pang}
     */
    public boolean ping(String node) {
        Atom target = Atom.of(node);
        if (target.equals(name())) {
            return true;
        }
        if (!distribution().connect(target)) {
            return false;
        }
        try {
            Object answer = call(new Name(NET_KERNEL, target), Tuple.of(IS_AUTH, name()),
                    options.setupTime());
            return answer == YES;
        } catch (CallException e) {
            return false;
        }
    }

    /**
     * Erlang's {@code net_kernel:monitor_nodes/1}: {@code subscriber} receives a {@link NodeUp} when a node connects
     * and a {@link NodeDown} when one goes, until unsubscribed with {@code on = false}.
     */
    public void watchNodes(Pid subscriber, boolean on) {
        distribution().watchNodes(subscriber, on);
    }

    /**
     * Erlang's {@code monitor_node(Node, true)} for {@code watcher}: one {@link NodeDown} when the connection to
     * {@code node} goes, at once if it cannot be made.
     */
    public void monitorNode(Pid watcher, String node) {
        distribution().monitorNode(watcher, Atom.of(node));
    }

    private NodeDistribution distribution() {
        if (distribution == null) {
            throw new IllegalStateException("node " + name() + " is not distributed: start it with "
                    + "NodeOptions.defaults().distributed(true)");
        }
        return distribution;
    }

    // ---- lifecycle

    /**
     * Stops the node, waiting up to {@code deadline}: first the {@linkplain #onShutdown shutdown hooks} run (newest
     * first; this is where applications stop, each through its supervision tree), then every remaining process stops
     * gracefully (each runs its {@code terminate} with reason {@code shutdown}), then the node's threads.
     *
     * <p>Only the first call stops the node; a later one waits (up to its deadline) for that stop to finish. Never
     * call it from a process: it waits for every process, including the caller; use {@link #shutdownAsync()} there.
     *
     * @return true if every process had terminated by the deadline
     */
    public boolean shutdown(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (!shutdownBegun.compareAndSet(false, true)) {
            return awaitTermination(deadline);
        }
        long end = System.nanoTime() + deadline.toNanos();
        List<Consumer<Duration>> hooks = List.copyOf(shutdownHooks);
        for (int i = hooks.size() - 1; i >= 0; i--) {
            try {
                hooks.get(i).accept(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
            } catch (RuntimeException | Error e) {
                LOG.error("node {}: a shutdown hook failed", core.name(), e);
            }
        }
        boolean clean = false;
        try {
            clean = core.shutdown(Duration.ofNanos(Math.max(0, end - System.nanoTime())), () -> {
                if (distribution != null) {
                    distribution.close(); // flushes each connection while the writers' threads still run
                }
            });
        } finally {
            terminated.complete(clean);
        }
        return clean;
    }

    /**
     * Starts stopping the node on a thread of its own (with the {@linkplain NodeOptions#shutdownTimeout() configured
     * deadline}) and returns at once; the future completes with {@link #shutdown}'s result. This is how a process
     * takes its node down. Calling it again, or after {@code shutdown}, returns the same outcome.
     */
    public CompletableFuture<Boolean> shutdownAsync() {
        if (!shutdownBegun.get()) {
            Thread.ofPlatform().name("ergon-shutdown-" + core.name().name())
                    .start(() -> shutdown(options.shutdownTimeout()));
        }
        return terminated.copy();
    }

    /** True once the node has begun to shut down (hooks running, or processes stopping). */
    public boolean isShuttingDown() {
        return shutdownBegun.get() || core.isStopping();
    }

    /**
     * Waits until the node has stopped (whoever stopped it), up to {@code timeout}.
     *
     * @return true if it stopped and every process terminated in time; false if it is still running or was not clean
     */
    public boolean awaitTermination(Duration timeout) {
        try {
            return terminated.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Registers an action to run when the node begins to shut down, before any process is stopped; it gets the time
     * left until the shutdown deadline. Hooks run one at a time, newest first, on the thread that shuts the node
     * down (never a process thread), so a hook may call processes and wait for them. A hook that throws is logged
     * and the shutdown goes on.
     */
    public void onShutdown(Consumer<Duration> hook) {
        shutdownHooks.add(Objects.requireNonNull(hook, "hook"));
    }

    /**
     * The node's single instance of a per-node service (such as the application controller), made by
     * {@code create} on first use. Lets packages built on the runtime attach state to a node without the node
     * knowing them.
     */
    public <T> T extension(Class<T> type, Function<? super Node, ? extends T> create) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(create, "create");
        Object existing = extensions.get(type);
        if (existing == null) {
            existing = extensions.computeIfAbsent(type, t -> Objects.requireNonNull(create.apply(this),
                    "the extension factory returned null"));
        }
        return type.cast(existing);
    }

    /** Shuts down with the {@linkplain NodeOptions#shutdownTimeout() configured deadline}. */
    @Override
    public void close() {
        shutdown(options.shutdownTimeout());
    }

    /** The runtime behind this node; for Ergon's own packages. */
    NodeCore core() {
        return core;
    }

    @Override
    public String toString() {
        return "Node[" + core.name() + "]";
    }
}
