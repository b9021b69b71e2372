package io.ergon.net;

import io.ergon.node.Actor;
import io.ergon.node.ExitException;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnException;
import io.ergon.node.Spawned;
import io.ergon.term.Atom;
import io.ergon.term.ErlangException;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remote procedure calls, both ways, for a distributed node: {@code Rpc.of(node)}, one instance per node.
 *
 * <p><b>Into this node.</b> Erlang's {@code rpc:call(Node, M, F, A)} and {@code erpc:call} run the Java function
 * registered under {@code {M, F}} ({@link #register}); a function that is not registered is {@code undef}, as an
 * unknown Erlang function. The answers keep Erlang's shapes: a value is returned, {@link Throw} is an Erlang
 * {@code throw}, an {@link ExitException} an {@code exit}, any other exception an {@code error} with the Java stack
 * as Erlang stack frames. A few of Erlang's introspection functions are built in ({@code erlang:node/0},
 * {@code nodes/0}, {@code processes/0}, {@code registered/0}, {@code whereis/1}, {@code is_process_alive/1}).
 * Erlang may spawn processes here only through a permission granted by name ({@link #allowSpawn}); anything else is
 * refused with {@code not_allowed}.
 *
 * <p><b>Out of this node.</b> {@link #call} runs a function on another node with erpc (a spawn request, as OTP
 * 23+ does); {@link #callRex} and {@link #cast} go through the other node's {@code rex} server.
 */
public final class Rpc {
    /** A function Erlang may call on this node. It gets the argument list and returns a term. */
    @FunctionalInterface
    public interface Function {
        Object apply(List<Object> args) throws Exception;
    }

    /** Makes the actor of a process Erlang spawns here by {@code {Module, Function}}, from the argument list. */
    @FunctionalInterface
    public interface SpawnFactory {
        Actor create(List<Object> args);
    }

    /** Thrown by a {@link Function} to answer with Erlang's {@code throw(Value)}; its reason is the value. */
    public static final class Throw extends ErlangException {
        private static final long serialVersionUID = 1L;

        /** Throws {@code value}; no stack trace, as a throw is control flow. */
        public Throw(Object value) {
            super(value, "throw: " + value, null, false);
        }

        /** The thrown value (the same as {@link #reason()}). */
        public Object value() {
            return reason();
        }
    }

    /**
     * Thrown by a {@link Function} to answer with Erlang's {@code error(Reason)}, as a BIF does for bad arguments
     * ({@code new Rpc.ErlangError(Atom.of("badarg"))}); the caller sees {@code {'EXIT', {Reason, Stack}}} from
     * {@code rpc:call} and an {@code error} from {@code erpc:call}, with no Java frames in the stack.
     */
    public static final class ErlangError extends ErlangException {
        private static final long serialVersionUID = 1L;

        /** Raises {@code reason}; no stack trace, as the caller gets Erlang's error, not Java's. */
        public ErlangError(Object reason) {
            super(reason, "error: " + reason, null, false);
        }
    }

    /** A function by module, name and arity ({@code -1}: any arity). */
    private record Key(Atom module, Atom function, int arity) {
    }

    /** A spawnable function by module and name. */
    private record SpawnKey(Atom module, Atom function) {
    }

    private record Registered(int arity, Function function) {
    }

    private static final Atom REX = Atom.of("rex");
    private static final Atom ERPC = Atom.of("erpc");
    private static final Atom EXECUTE_CALL = Atom.of("execute_call");
    private static final Atom RETURN = Atom.of("return");
    private static final Atom THROW = Atom.of("throw");
    private static final Atom EXIT = Atom.of("exit");
    private static final Atom ERROR = Atom.of("error");
    private static final Atom BADRPC = Atom.of("badrpc");

    private final Node node;
    private final ConcurrentHashMap<Key, Registered> functions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SpawnKey, SpawnFactory> spawnable = new ConcurrentHashMap<>();

    /**
     * The rpc service of a distributed node: the functions and spawn permissions it offers Erlang, and calls to
     * other nodes. The same instance for every call on one node.
     *
     * @throws IllegalStateException if {@code node} is not distributed
     */
    public static Rpc of(Node node) {
        if (!node.isDistributed()) {
            throw new IllegalStateException("node " + node.name() + " is not distributed: start it with "
                    + "NodeOptions.defaults().distributed(true)");
        }
        return node.extension(Rpc.class, Rpc::new);
    }

    private Rpc(Node node) {
        this.node = node;
        register("erlang", "node", 0, args -> node.name());
        register("erlang", "nodes", 0, args -> node.nodes());
        register("erlang", "processes", 0, args -> node.processes());
        register("erlang", "registered", 0, args -> node.registered());
        register("erlang", "whereis", 1, args -> {
            var pid = args.get(0) instanceof Atom a ? node.whereis(a.name()) : null;
            return pid == null ? Atom.UNDEFINED : pid;
        });
        register("erlang", "is_process_alive", 1, args -> Atom.of(args.get(0) instanceof io.ergon.term.Pid p
                && node.isAlive(p)));
    }

    // ------------------------------------------------------------------ into this node

    /**
     * Lets Erlang call {@code module:function} with any number of arguments, unless a registration for the exact
     * arity is there too (it is found first). Replaces an earlier any-arity registration of the same function.
     */
    public Rpc register(String module, String function, Function fn) {
        return register(module, function, -1, fn);
    }

    /**
     * Lets Erlang call {@code module:function/arity}; arities registered neither so nor for any arity are
     * {@code undef}. As in Erlang, {@code f/1} and {@code f/2} are two functions: registering one leaves the other.
     * Replaces an earlier registration of the same arity.
     */
    public Rpc register(String module, String function, int arity, Function fn) {
        Objects.requireNonNull(fn, "fn");
        functions.put(new Key(Atom.of(module), Atom.of(function), arity), new Registered(arity, fn));
        return this;
    }

    /** Removes every registration of {@code module:function}, whatever its arity; false if there was none. */
    public boolean unregister(String module, String function) {
        Atom m = Atom.of(module);
        Atom f = Atom.of(function);
        return functions.keySet().removeIf(k -> k.module().equals(m) && k.function().equals(f));
    }

    /** The function registered for {@code module:function/arity} (else for any arity), or null. */
    public Function find(Atom module, Atom function, int arity) {
        Registered r = functions.get(new Key(module, function, arity));
        if (r == null) {
            r = functions.get(new Key(module, function, -1));
        }
        return r == null ? null : r.function();
    }

    /** Lets Erlang spawn {@code module:function(Args)} here, as a process made by {@code factory}. */
    public Rpc allowSpawn(String module, String function, SpawnFactory factory) {
        spawnable.put(new SpawnKey(Atom.of(module), Atom.of(function)), Objects.requireNonNull(factory, "factory"));
        return this;
    }

    /** Withdraws a spawn permission; false if there was none. */
    public boolean disallowSpawn(String module, String function) {
        return spawnable.remove(new SpawnKey(Atom.of(module), Atom.of(function))) != null;
    }

    /** The factory for {@code module:function}, or null if spawning it is not allowed. */
    public SpawnFactory spawnPermission(Atom module, Atom function) {
        return spawnable.get(new SpawnKey(module, function));
    }

    // ------------------------------------------------------------------ out of this node

    /**
     * Calls {@code module:function(args)} on {@code onNode} with erpc and returns the value.
     *
     * @throws RpcException if the function threw, exited or raised, the node went away, or no answer came in time
     */
    public Object call(String onNode, String module, String function, List<?> args, Duration timeout) {
        Object resRef = node.makeRef();
        List<Object> arguments = List.copyOf(args);
        try (Mailbox m = node.mailbox()) {
            Spawned s;
            try {
                s = m.spawnRemote(onNode, ERPC.name(), EXECUTE_CALL.name(),
                        List.of(resRef, Atom.of(module), Atom.of(function), arguments),
                        io.ergon.node.SpawnOptions.none().monitor(), timeout);
            } catch (SpawnException e) {
                if (e.reason() == Reasons.NOCONNECTION) {
                    throw new RpcException(RpcException.Kind.NOCONNECTION, Reasons.NOCONNECTION, null);
                }
                throw new RpcException(e.reason() == Reasons.TIMEOUT ? RpcException.Kind.TIMEOUT
                        : RpcException.Kind.SPAWN, e.reason(), null);
            }
            Object down = m.receive(x -> x instanceof io.ergon.node.Down d && d.ref().equals(s.monitor()), timeout);
            if (down == null) {
                m.demonitor(s.monitor());
                m.exit(s.pid(), Reasons.KILL);
                throw new RpcException(RpcException.Kind.TIMEOUT, Reasons.TIMEOUT, null);
            }
            return erpcResult(resRef, ((io.ergon.node.Down) down).reason());
        }
    }

    @SuppressWarnings("unchecked")
    private static Object erpcResult(Object res, Object reason) {
        if (reason instanceof Tuple t && t.size() >= 3 && res.equals(t.get(0))) {
            Object kind = t.get(1);
            if (kind == RETURN) {
                return t.get(2);
            }
            if (kind == THROW) {
                throw new RpcException(RpcException.Kind.THROW, t.get(2), null);
            }
            if (kind == EXIT) {
                throw new RpcException(RpcException.Kind.EXIT, t.get(2), null);
            }
            if (kind == ERROR) {
                List<Object> stack = t.size() > 3 && t.get(3) instanceof List<?> l ? (List<Object>) l : List.of();
                throw new RpcException(RpcException.Kind.ERROR, t.get(2), stack);
            }
        }
        if (reason == Reasons.NOCONNECTION) {
            throw new RpcException(RpcException.Kind.NOCONNECTION, reason, null);
        }
        throw new RpcException(RpcException.Kind.EXIT, reason, null);
    }

    /**
     * Calls {@code module:function(args)} on {@code onNode} through its {@code rex} server (Erlang's classic
     * {@code rpc:call}).
     *
     * @throws RpcException ({@link RpcException.Kind#BADRPC}) for a {@code {badrpc, Reason}} answer, or if the call
     *     failed
     */
    public Object callRex(String onNode, String module, String function, List<?> args, Duration timeout) {
        Object reply;
        try {
            reply = node.call(new Name(REX, Atom.of(onNode)), Tuple.of(Atom.of("call"), Atom.of(module),
                    Atom.of(function), List.copyOf(args), node.whereis("user")), timeout);
        } catch (io.ergon.node.CallTimeoutException e) {
            throw new RpcException(RpcException.Kind.TIMEOUT, Reasons.TIMEOUT, null);
        } catch (io.ergon.node.CallException e) {
            throw new RpcException(RpcException.Kind.BADRPC, e.failure(), null);
        }
        if (reply instanceof Tuple t && t.size() == 2 && t.get(0) == BADRPC) {
            throw new RpcException(RpcException.Kind.BADRPC, t.get(1), null);
        }
        return reply;
    }

    /** Runs {@code module:function(args)} on {@code onNode} through its {@code rex} server, without waiting. */
    public void cast(String onNode, String module, String function, List<?> args) {
        node.cast(new Name(REX, Atom.of(onNode)), Tuple.of(Atom.of("cast"), Atom.of(module), Atom.of(function),
                List.copyOf(args), node.whereis("user")));
    }

    /** The registered functions, as {@code "module:function/arity"} ({@code /*} for any arity). */
    public List<String> registered() {
        List<String> out = new ArrayList<>();
        functions.forEach((k, r) -> out.add(k.module().name() + ":" + k.function().name() + "/"
                + (r.arity() < 0 ? "*" : r.arity())));
        return out;
    }
}
