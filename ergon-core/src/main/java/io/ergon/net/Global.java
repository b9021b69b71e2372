package io.ergon.net;

import io.ergon.net.internal.global.GlobalCalls;
import io.ergon.net.internal.global.GlobalServer;
import io.ergon.net.internal.global.GlobalState;
import io.ergon.node.BadArgumentException;
import io.ergon.node.CallTimeoutException;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.term.Atom;
import io.ergon.term.ErlangException;
import io.ergon.term.ExportFun;
import io.ergon.term.Pid;
import io.ergon.term.TermConvertible;
import io.ergon.term.Terms;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Erlang's {@code global} on an Ergon node: names registered cluster-wide and locks taken across nodes, shared with
 * the Erlang and Ergon nodes of the cluster. {@code Global.of(node)}, one instance per distributed node.
 *
 * <p>Every visible Ergon node runs {@code global_name_server} and speaks OTP 25's {@code global} protocol, as an
 * Erlang node does: when nodes connect they lock, exchange and resolve their names, introduce each other to the
 * rest of their partitions (so the cluster meshes by itself) and answer {@code global:sync()}. So a name registered
 * here with {@link #register} is what {@code global:whereis_name/1} finds on every node of the cluster, and a name
 * registered on Erlang is what {@link #whereis} finds here; a lock taken with {@link #trans} excludes Erlang's
 * {@code global:trans/2} and other Ergon nodes' alike.
 *
 * <p><b>Names</b> are Erlang terms: usually atoms. A {@code String} name stands for the atom of that text, as
 * registered names do elsewhere in Ergon; any other value is the term it maps to (a tuple, a binary, ...). A name
 * goes when its process exits or its node goes down. When two parts of a cluster that registered the same name meet,
 * the name's {@link Resolve method} decides, as in OTP: by default one of the two processes is killed.
 *
 * <p><b>Locks</b> are OTP's: a {@link LockId} names a resource and a requester; processes with the same requester
 * id share the lock, others wait. The holder is the calling process (a {@link ProcessContext}: an actor's context
 * or a {@link Mailbox}); its lock goes when it exits. The methods without a context hold the lock in a mailbox of
 * their own for the duration.
 *
 * <p>Calls block the calling thread: registration waits for global's own lock on every node, as OTP's does.
 *
 * @see <a href="https://www.erlang.org/doc/man/global.html">global(3)</a>
 */
public final class Global {
    /** With {@link #setLock(ProcessContext, LockId, Collection, long)}: retry for ever, OTP's {@code infinity}. */
    public static final long INFINITY = GlobalCalls.INFINITY;

    private final Node node;
    private final GlobalState state;

    /**
     * How a clash over a name is resolved when two parts of a cluster meet: OTP's resolve method, a
     * {@code fun Module:Function/3} called with the name and the two pids; it returns the pid to keep, or
     * {@code none} to unregister the name (anything else unregisters it too). It is called on the node of one of the
     * two processes: on an Erlang node as that function, on an Ergon node as OTP's own three methods
     * ({@link #RANDOM_EXIT}, {@link #RANDOM_NOTIFY}, {@link #NOTIFY_ALL}, built in) or as the Java function
     * registered with {@link Rpc#register(String, String, int, Rpc.Function) Rpc.register(module, function, 3, fn)},
     * which gets {@code [Name, Pid1, Pid2]}. Such a function runs on a connection's thread: it must be quick.
     *
     * @param module the function's module
     * @param function the function's name
     */
    public record Resolve(Atom module, Atom function) implements TermConvertible {
        /** OTP's default, {@code global:random_exit_name/3}: keeps the process of the smaller node, kills the other. */
        public static final Resolve RANDOM_EXIT = new Resolve(Atom.of("global"), Atom.of("random_exit_name"));
        /**
         * {@code global:random_notify_name/3}: keeps the process of the smaller node; the other gets
         * {@code {global_name_conflict, Name}}.
         */
        public static final Resolve RANDOM_NOTIFY = new Resolve(Atom.of("global"), Atom.of("random_notify_name"));
        /**
         * {@code global:notify_all_name/3}: unregisters the name; each process gets
         * {@code {global_name_conflict, Name, OtherPid}}.
         */
        public static final Resolve NOTIFY_ALL = new Resolve(Atom.of("global"), Atom.of("notify_all_name"));

        public Resolve {
            Objects.requireNonNull(module, "module");
            Objects.requireNonNull(function, "function");
        }

        /** {@code fun module:function/3}. */
        public static Resolve of(String module, String function) {
            return new Resolve(Atom.of(module), Atom.of(function));
        }

        @Override
        public Object toTerm() {
            return new ExportFun(module, function, 3);
        }
    }

    /**
     * A lock's id, Erlang's {@code {ResourceId, LockRequesterId}}: processes that use the same requester id share
     * the lock on the resource; a different requester waits until they all released it. A {@code String} stands for
     * its atom, as names do.
     *
     * @param resource what is locked
     * @param requester who locks it (often the locking process's pid)
     */
    public record LockId(Object resource, Object requester) implements TermConvertible {
        public LockId {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(requester, "requester");
        }

        /** {@code {resource, requester}}. */
        public static LockId of(Object resource, Object requester) {
            return new LockId(resource, requester);
        }

        @Override
        public Object toTerm() {
            return Tuple.of(term(resource), term(requester));
        }
    }

    /** Thrown by {@code trans} when the lock could not be taken in the retries allowed (Erlang's {@code aborted}). */
    public static final class Aborted extends ErlangException {
        private static final long serialVersionUID = 1L;

        /** {@code aborted}, for the lock {@code id}. */
        public Aborted(LockId id) {
            super(Atom.of("aborted"), "global: could not take the lock " + id, null, false);
        }
    }

    private Global(Node node) {
        this.node = node;
        this.state = GlobalState.of(node);
    }

    /**
     * The {@code global} of a distributed node. The same instance for every call on one node.
     *
     * @throws IllegalStateException if {@code node} is not distributed
     */
    public static Global of(Node node) {
        if (!node.isDistributed()) {
            throw new IllegalStateException("node " + node.name() + " is not distributed: start it with "
                    + "NodeOptions.defaults().distributed(true)");
        }
        return node.extension(Global.class, Global::new);
    }

    // ------------------------------------------------------------------ names

    /**
     * {@code global:register_name/2}: registers {@code pid} as {@code name} on every node of the cluster, with the
     * default resolve method ({@link Resolve#RANDOM_EXIT}).
     *
     * @return true, or false if the name is taken or {@code pid} already has a global name
     */
    public boolean register(Object name, Pid pid) {
        return register(name, pid, Resolve.RANDOM_EXIT);
    }

    /**
     * {@code global:register_name/3}: as {@link #register(Object, Pid)}, with the method that resolves a clash
     * over {@code name}.
     */
    public boolean register(Object name, Pid pid, Resolve method) {
        Objects.requireNonNull(pid, "pid");
        Object n = term(name);
        Object m = method.toTerm();
        Object reply = registrar((ctx, nodes) -> {
            if (state.whereis(n) == null && !state.hasName(pid)) {
                GlobalCalls.multiCall(ctx, nodes, Tuple.of(Atom.of("register"), n, pid, m));
                return Atom.of("yes");
            }
            return Atom.of("no");
        });
        return reply == Atom.of("yes");
    }

    /**
     * {@code global:re_register_name/2}: registers {@code pid} as {@code name} whether or not the name is taken
     * (the old holder keeps running), with the default resolve method.
     */
    public void reRegister(Object name, Pid pid) {
        reRegister(name, pid, Resolve.RANDOM_EXIT);
    }

    /** {@code global:re_register_name/3}: as {@link #reRegister(Object, Pid)}, with a resolve method. */
    public void reRegister(Object name, Pid pid, Resolve method) {
        Objects.requireNonNull(pid, "pid");
        Object n = term(name);
        Object m = method.toTerm();
        registrar((ctx, nodes) -> {
            GlobalCalls.multiCall(ctx, nodes, Tuple.of(Atom.of("register"), n, pid, m));
            return Atom.of("yes");
        });
    }

    /** {@code global:unregister_name/1}: removes {@code name} on every node; nothing if it is not registered. */
    public void unregister(Object name) {
        Object n = term(name);
        if (state.whereis(n) == null) {
            return;
        }
        registrar((ctx, nodes) -> {
            GlobalCalls.multiCall(ctx, nodes, Tuple.of(Atom.of("unregister"), n));
            return Atom.OK;
        });
    }

    /** {@code global:whereis_name/1}: the pid registered as {@code name}, or null. Reads this node's table. */
    public Pid whereis(Object name) {
        return state.whereis(term(name));
    }

    /**
     * {@code global:send/2}: sends {@code message} to the process registered as {@code name}.
     *
     * @return the pid it went to
     * @throws BadArgumentException if {@code name} is not registered (Erlang exits with {@code {badarg, ...}})
     */
    public Pid send(Object name, Object message) {
        Pid pid = whereis(name);
        if (pid == null) {
            throw new BadArgumentException("no process is registered globally as " + term(name));
        }
        node.send(pid, message);
        return pid;
    }

    /** {@code global:registered_names/0}: the names registered now, as terms. */
    public List<Object> registeredNames() {
        return state.registeredNames();
    }

    // ------------------------------------------------------------------ sync

    /**
     * {@code global:sync/0}: waits until this node's {@code global} is in sync with every node it is visibly
     * connected to (or those went down). Waits without a limit, as OTP's does.
     */
    public void sync() {
        node.call(GlobalServer.NAME, syncRequest(), null);
    }

    /**
     * {@code global:sync/0} with a limit.
     *
     * @return false if the limit passed first
     */
    public boolean sync(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        try {
            node.call(GlobalServer.NAME, syncRequest(), timeout);
            return true;
        } catch (CallTimeoutException e) {
            return false;
        }
    }

    private Tuple syncRequest() {
        return Tuple.of(Atom.of("sync"), state.net().visibleNodes());
    }

    // ------------------------------------------------------------------ locks

    /**
     * {@code global:set_lock/1}: takes {@code id} on this node and every node it is visibly connected to, for the
     * process {@code self}, retrying for ever.
     *
     * @return true (it returns only once it has the lock)
     */
    public boolean setLock(ProcessContext self, LockId id) {
        return setLock(self, id, null, INFINITY);
    }

    /**
     * {@code global:set_lock/3}: takes {@code id} on {@code nodes} for the process {@code self}, trying once and
     * then up to {@code retries} more times after a random sleep (a quarter of a second at first, doubling up to 8
     * seconds), or for ever with {@link #INFINITY}.
     *
     * @param nodes node names; null for this node and those it is visibly connected to
     * @return whether it has the lock
     */
    public boolean setLock(ProcessContext self, LockId id, Collection<String> nodes, long retries) {
        if (retries < 0 && retries != INFINITY) {
            throw new IllegalArgumentException("retries must be >= 0 or Global.INFINITY, not " + retries);
        }
        return state.setLock(self, id.toTerm(), nodes(nodes), retries);
    }

    /** {@code global:del_lock/1}: releases {@code id} held by {@code self} on this node and the visible ones. */
    public void delLock(ProcessContext self, LockId id) {
        delLock(self, id, null);
    }

    /** {@code global:del_lock/2}: releases {@code id} held by {@code self} on {@code nodes} (null: as above). */
    public void delLock(ProcessContext self, LockId id, Collection<String> nodes) {
        state.delLock(self, id.toTerm(), nodes(nodes));
    }

    /**
     * {@code global:trans/2}: runs {@code body} holding {@code id} on this node and the visible ones, for the process
     * {@code self}; the lock is released however {@code body} ends.
     */
    public <T> T trans(ProcessContext self, LockId id, Supplier<T> body) {
        return trans(self, id, body, null, INFINITY);
    }

    /**
     * {@code global:trans/4}: as {@link #trans(ProcessContext, LockId, Supplier)} on {@code nodes} (null: this node and
     * the visible ones) with {@code retries} ({@link #setLock(ProcessContext, LockId, Collection, long)}).
     *
     * @throws Aborted if the lock could not be taken
     */
    public <T> T trans(ProcessContext self, LockId id, Supplier<T> body, Collection<String> nodes, long retries) {
        if (!setLock(self, id, nodes, retries)) {
            throw new Aborted(id);
        }
        try {
            return body.get();
        } finally {
            delLock(self, id, nodes);
        }
    }

    /** {@code global:trans/2} held by a mailbox of its own, for a caller that is not a process. */
    public <T> T trans(LockId id, Supplier<T> body) {
        return trans(id, body, null, INFINITY);
    }

    /**
     * {@code global:trans/4} held by a mailbox of its own.
     *
     * @throws Aborted if the lock could not be taken
     */
    public <T> T trans(LockId id, Supplier<T> body, Collection<String> nodes, long retries) {
        try (Mailbox m = node.mailbox()) {
            return trans(m, id, body, nodes, retries);
        }
    }

    // ------------------------------------------------------------------ helpers

    private Object registrar(java.util.function.BiFunction<ProcessContext, List<Atom>, Object> fun) {
        return node.call(GlobalServer.NAME, new GlobalCalls.Registrar(fun), null);
    }

    private List<Atom> nodes(Collection<String> nodes) {
        if (nodes == null) {
            return state.lockNodes();
        }
        List<Atom> out = new ArrayList<>(nodes.size());
        for (String n : nodes) {
            out.add(Atom.of(n));
        }
        return out;
    }

    /** A name or lock id part as a term: a {@code String} is its atom, anything else its term. */
    private static Object term(Object value) {
        Objects.requireNonNull(value, "a global name or lock id part");
        return value instanceof String s ? Atom.of(s) : Terms.canonical(value);
    }
}
