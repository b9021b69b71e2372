package io.ergon.gen;

import io.ergon.node.Down;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The operations on an event manager (OTP's {@code gen_event:notify/2}, {@code sync_notify/2}, {@code call/3},
 * {@code add_handler/3}, ...), an Ergon {@link GenEvent} or an Erlang {@code gen_event}, local or on another node.
 * Get one with {@link GenEvent#client(Node, Object)} or {@link GenEvent#client(ProcessContext, Object)}. Immutable.
 *
 * <p>As in OTP, the manager's requests wait without limit, and {@link #call} waits 5 s unless given a timeout. The
 * answers are OTP's terms, returned as they are where OTP returns them ({@link #call}'s
 * {@code {error, bad_module}}, {@link #deleteHandler}'s {@code {error, module_not_found}}); a refused
 * {@code add_handler} or {@code swap_handler} throws {@link IllegalStateException} with the manager's answer.
 */
public final class EventManagerClient {
    private static final Atom OK = Atom.of("ok");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private final Node node;
    /** The process the requests come from, or null: each request then comes from a mailbox of its own. */
    private final ProcessContext caller;
    private final Object manager;

    EventManagerClient(Node node, ProcessContext caller, Object manager) {
        this.node = Objects.requireNonNull(node, "node");
        this.caller = caller;
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    /** {@code gen_event:notify}: every handler gets {@code event}; returns at once. */
    public void notify(Object event) {
        Tuple message = Tuple.of(Atom.of("notify"), event);
        if (caller != null) {
            caller.send(manager, message);
        } else {
            node.send(manager, message);
        }
    }

    /** {@code gen_event:sync_notify}: returns once every handler has handled {@code event}. */
    public void syncNotify(Object event) {
        request(Tuple.of(Atom.of("sync_notify"), event), null);
    }

    /** {@code gen_event:call(Manager, Handler, Request)}: the handler's reply, waiting up to 5 s. */
    public Object call(Object handler, Object request) {
        return call(handler, request, CALL_TIMEOUT);
    }

    /** {@code gen_event:call/4}. */
    public Object call(Object handler, Object request, Duration timeout) {
        return request(Tuple.of(Atom.of("call"), handler, request), timeout);
    }

    /**
     * {@code gen_event:add_handler}: adds the Java handler {@code id}, made by {@code factory} and initialised with
     * {@code args}, to a manager of this node.
     */
    public void addHandler(Object id, Supplier<? extends EventHandler> factory, Object args) {
        expectOk("add_handler", request(Tuple.of(Atom.of("add_handler"), javaHandler(id, factory), term(args)), null));
    }

    /**
     * {@code gen_event:add_sup_handler}: as {@link #addHandler}, and the manager links to the calling process, which
     * gets {@code {gen_event_EXIT, Id, Reason}} when the handler leaves; its exit takes the handler out. Needs a
     * client made for a process.
     */
    public void addSupHandler(Object id, Supplier<? extends EventHandler> factory, Object args) {
        Pid self = requireCaller("add_sup_handler").self();
        expectOk("add_sup_handler", request(Tuple.of(Atom.of("add_sup_handler"), javaHandler(id, factory), term(args),
                self), null));
    }

    /** {@code gen_event:add_handler} of an Erlang handler (its module, or {@code {Module, Id}}) to an Erlang manager. */
    public void addErlangHandler(Object handler, Object args) {
        expectOk("add_handler", request(Tuple.of(Atom.of("add_handler"), handler, term(args)), null));
    }

    /** {@code gen_event:delete_handler}: what the handler's terminate returned, or {@code {error, module_not_found}}. */
    public Object deleteHandler(Object handler, Object args) {
        return request(Tuple.of(Atom.of("delete_handler"), handler, term(args)), null);
    }

    /**
     * {@code gen_event:swap_handler}: {@code id1} leaves with {@code args1}, and the Java handler {@code id2} comes in,
     * initialised with {@code {args2, Result}} ({@code Result}: what the first one's terminate returned, or
     * {@code error} if there was none).
     */
    public void swapHandler(Object id1, Object args1, Object id2, Supplier<? extends EventHandler> factory,
            Object args2) {
        expectOk("swap_handler", request(Tuple.of(Atom.of("swap_handler"), id1, term(args1),
                javaHandler(id2, factory), term(args2)), null));
    }

    /** {@code gen_event:which_handlers}: the handlers' ids, the most recently added first. */
    public List<Object> whichHandlers() {
        return List.copyOf((List<?>) request(Atom.of("which_handlers"), null));
    }

    /**
     * {@code gen_event:stop}: every handler terminates with {@code stop}, then the manager exits {@code normal};
     * returns once it has. Throws {@link IllegalStateException} if there is no such manager.
     */
    public void stop() {
        if (caller != null) {
            stopVia(caller);
        } else {
            try (Mailbox m = node.mailbox()) {
                stopVia(m);
            }
        }
    }

    private void stopVia(ProcessContext m) {
        Ref mon = m.monitor(manager);
        m.send(manager, Tuple.of(Atom.of("system"), Tuple.of(m.self(), mon), Tuple.of(Atom.of("terminate"),
                Atom.of("normal"))));
        Down down = (Down) m.receive(x -> x instanceof Down d && d.ref().equals(mon), null);
        if (down.reason() == Reasons.NOPROC) {
            throw new IllegalStateException("no event manager " + manager + " to stop"); // gen_event:stop exits noproc
        }
    }

    private Object request(Object request, Duration timeout) {
        return caller != null ? caller.call(manager, request, timeout) : node.call(manager, request, timeout);
    }

    private GenEvent.JavaHandler javaHandler(Object id, Supplier<? extends EventHandler> factory) {
        boolean local = manager instanceof Pid p ? node.name().equals(p.node())
                : !(manager instanceof Name n) || n.node().equals(node.name());
        if (!local) {
            throw new IllegalArgumentException("a Java event handler can be added only to a manager on this node, not "
                    + manager);
        }
        return new GenEvent.JavaHandler(Objects.requireNonNull(id, "id"), Objects.requireNonNull(factory, "factory"));
    }

    /** A null argument travels as {@code undefined}, as a null reply does. */
    private static Object term(Object value) {
        return value == null ? Atom.UNDEFINED : value;
    }

    private ProcessContext requireCaller(String what) {
        if (caller == null) {
            throw new IllegalStateException(what + " links the manager to the calling process: make the client with "
                    + "GenEvent.client(ProcessContext, manager)");
        }
        return caller;
    }

    private void expectOk(String what, Object reply) {
        if (reply != OK) {
            throw new IllegalStateException(what + " refused by " + manager + ": " + reply);
        }
    }

    @Override
    public String toString() {
        return "EventManagerClient[" + manager + "]";
    }
}
