package io.ergon.gen;

import io.ergon.node.Actor;
import io.ergon.term.Atom;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a supervisor needs to start, stop and restart one child (OTP's child specification). Immutable; the
 * {@code with}-style methods ({@link #restart(Restart)}, {@link #shutdown(Shutdown)}, {@link #significant(boolean)},
 * {@link #register(String)}) return changed copies.
 *
 * <pre>{@code
 * ChildSpec.worker("cache", Cache::new).restart(Restart.TRANSIENT).shutdown(Shutdown.timeout(Duration.ofSeconds(1)))
 * ChildSpec.supervisor("workers", Supervisor.spec(Strategy.ONE_FOR_ALL).child(...))
 * }</pre>
 *
 * <p>Defaults are OTP's: {@link Restart#PERMANENT}, not significant, and a shutdown of 5 seconds for a worker,
 * {@link Shutdown#infinity()} for a supervisor. The factory is called for every start and restart and must return a
 * new actor each time; the supervisor spawns it linked to itself, so the child's {@code init} has run (and may have
 * failed) when the start returns.
 *
 * @param id the child's name within its supervisor
 * @param type worker or supervisor
 * @param factory makes the child's actor; its argument is the one given to
 *     {@link SupervisorClient#startDynamic(Object)} for a {@link Strategy#SIMPLE_ONE_FOR_ONE} template, else null
 * @param restart when the child is restarted
 * @param shutdown how it is stopped
 * @param significant whether its own termination may shut the supervisor down ({@link AutoShutdown}); only for
 *     transient and temporary children of a supervisor whose auto-shutdown is not {@link AutoShutdown#NEVER}
 * @param registeredName a name the child is registered under when it starts, or null
 * @param remote for a child that runs on another node ({@link #remoteWorker}): what to spawn there, linked to the
 *     supervisor; null for a local child
 */
public record ChildSpec(String id, ChildType type, Function<Object, ? extends Actor> factory, Restart restart,
                        Shutdown shutdown, boolean significant, Atom registeredName, RemoteStart remote) {
    public ChildSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        if (factory == null && remote == null) {
            throw new NullPointerException("factory");
        }
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(shutdown, "shutdown");
        if (remote != null && registeredName != null) {
            throw new IllegalArgumentException("a child on another node cannot be registered by its supervisor");
        }
    }

    /** A local child (no remote start). */
    public ChildSpec(String id, ChildType type, Function<Object, ? extends Actor> factory, Restart restart,
                     Shutdown shutdown, boolean significant, Atom registeredName) {
        this(id, type, factory, restart, shutdown, significant, registeredName, null);
    }

    /**
     * How a supervisor starts a child on another node: {@code spawn_opt(Node, Module, Function, Args, [link])}, which
     * the other node must allow (an Erlang node runs any exported function; an Ergon node only what it granted
     * with {@code rpc().allowSpawn}). The spawned process is the child: when it exits, the link tells the
     * supervisor, which restarts it by the spec's rules; a lost connection is an exit with {@code noconnection}.
     */
    public record RemoteStart(Atom node, Atom module, Atom function, List<Object> args) {
        public RemoteStart {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(module, "module");
            Objects.requireNonNull(function, "function");
            args = List.copyOf(args);
        }
    }

    /** A worker on another node: {@code module:function(args)} spawned there, linked to the supervisor. */
    public static ChildSpec remoteWorker(String id, String node, String module, String function, List<?> args) {
        return new ChildSpec(id, ChildType.WORKER, null, Restart.PERMANENT, Shutdown.WORKER_DEFAULT, false, null,
                new RemoteStart(Atom.of(node), Atom.of(module), Atom.of(function), List.copyOf(args)));
    }

    /** A worker made by {@code factory}. */
    public static ChildSpec worker(String id, Supplier<? extends Actor> factory) {
        Objects.requireNonNull(factory, "factory");
        return new ChildSpec(id, ChildType.WORKER, arg -> factory.get(), Restart.PERMANENT, Shutdown.WORKER_DEFAULT,
                false, null);
    }

    /**
     * The template of a {@link Strategy#SIMPLE_ONE_FOR_ONE} supervisor's workers: each
     * {@link SupervisorClient#startDynamic(Object)} makes one from its argument (and a restart reuses it).
     */
    @SuppressWarnings("unchecked")
    public static <A> ChildSpec workerTemplate(String id, Function<A, ? extends Actor> factory) {
        Objects.requireNonNull(factory, "factory");
        Function<Object, ? extends Actor> f = arg -> factory.apply((A) arg);
        return new ChildSpec(id, ChildType.WORKER, f, Restart.PERMANENT, Shutdown.WORKER_DEFAULT, false, null);
    }

    /** A nested supervisor that runs {@code spec}. */
    public static ChildSpec supervisor(String id, SupervisorSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return new ChildSpec(id, ChildType.SUPERVISOR, arg -> new Supervisor(spec), Restart.PERMANENT,
                Shutdown.infinity(), false, null);
    }

    /** A nested supervisor made by {@code factory} (e.g. a subclass that computes its spec). */
    public static ChildSpec supervisor(String id, Supplier<? extends Supervisor> factory) {
        Objects.requireNonNull(factory, "factory");
        return new ChildSpec(id, ChildType.SUPERVISOR, arg -> factory.get(), Restart.PERMANENT, Shutdown.infinity(),
                false, null);
    }

    /** The template of a {@link Strategy#SIMPLE_ONE_FOR_ONE} supervisor's children that are supervisors. */
    @SuppressWarnings("unchecked")
    public static <A> ChildSpec supervisorTemplate(String id, Function<A, SupervisorSpec> spec) {
        Objects.requireNonNull(spec, "spec");
        Function<Object, ? extends Actor> f = arg -> new Supervisor(spec.apply((A) arg));
        return new ChildSpec(id, ChildType.SUPERVISOR, f, Restart.PERMANENT, Shutdown.infinity(), false, null);
    }

    /** This spec with another restart type. */
    public ChildSpec restart(Restart type) {
        return new ChildSpec(id, this.type, factory, type, shutdown, significant, registeredName, remote);
    }

    /** This spec with another shutdown. */
    public ChildSpec shutdown(Shutdown how) {
        return new ChildSpec(id, type, factory, restart, how, significant, registeredName, remote);
    }

    /** This spec, significant or not (see {@link AutoShutdown}). */
    public ChildSpec significant(boolean isSignificant) {
        return new ChildSpec(id, type, factory, restart, shutdown, isSignificant, registeredName, remote);
    }

    /** This spec with the child registered as {@code name} each time it starts. */
    public ChildSpec register(String name) {
        return new ChildSpec(id, type, factory, restart, shutdown, significant, Atom.of(name), remote);
    }

    @Override
    public String toString() {
        return "ChildSpec[" + id + ", " + type.name().toLowerCase() + ", " + restart.name().toLowerCase()
                + ", shutdown " + shutdown + (significant ? ", significant" : "")
                + (registeredName == null ? "" : ", registered as " + registeredName)
                + (remote == null ? "" : ", on " + remote.node() + " as " + remote.module() + ":" + remote.function()
                        + "/" + remote.args().size()) + "]";
    }
}
