package io.ergon.node;

import io.ergon.node.internal.NodeCore;
import io.ergon.node.internal.ProcessCore;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;

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
 */
public final class Node implements AutoCloseable {
    /** The timeout of {@code call} without one: 5 seconds, as in OTP. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-]+@[A-Za-z0-9_\\-.]+");

    private final NodeCore core;
    private final NodeOptions options;

    private Node(Atom name, NodeOptions options) {
        this.options = options;
        int creation = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        this.core = new NodeCore(this, name, creation, options.parallelism());
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
     */
    public static Node start(String name, NodeOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a node name is alive@host (letters, digits, _ and - before the @), not '"
                    + name + "'");
        }
        return new Node(Atom.of(name), options);
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
        return new Mailbox(this, core.newMailboxProcess(null));
    }

    /** Opens a mailbox handle registered as {@code name}. */
    public Mailbox mailbox(String name) {
        return new Mailbox(this, core.newMailboxProcess(Atom.of(name)));
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
     * @throws IllegalArgumentException if a local name is not registered (Erlang's {@code badarg})
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
        try (Mailbox m = mailbox()) {
            return m.call(to, request, timeout);
        }
    }

    /** Sends an exit signal (Erlang's {@code exit/2}) from the node's system pid. */
    public void exit(Pid pid, Object reason) {
        core.exitSignal(core.systemPid(), pid, reason);
    }

    /** Sends {@code message} to {@code to} after {@code delay}; cancel with {@link TimerRef#cancel()}. */
    public TimerRef sendAfter(Object to, Object message, Duration delay) {
        return core.sendAfter(null, to, message, delay);
    }

    // ---- lifecycle

    /**
     * Stops every process gracefully (each runs its {@code terminate} with reason {@code shutdown}) and the node's
     * threads, waiting up to {@code deadline}.
     *
     * @return true if every process had terminated by the deadline
     */
    public boolean shutdown(Duration deadline) {
        return core.shutdown(deadline);
    }

    /** Shuts down with the {@linkplain NodeOptions#shutdownTimeout() configured deadline}. */
    @Override
    public void close() {
        if (!core.isStopping()) {
            shutdown(options.shutdownTimeout());
        }
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
