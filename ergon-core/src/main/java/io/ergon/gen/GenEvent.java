package io.ergon.gen;

import io.ergon.node.Actor;
import io.ergon.node.CrashReason;
import io.ergon.node.Exit;
import io.ergon.node.From;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnOptions;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * OTP's {@code gen_event} manager: a process that holds {@link EventHandler}s and passes each event to all of them,
 * the most recently added first. Start one with {@link #start(Node, String)} (or spawn it under a supervisor), and
 * talk to it, or to an Erlang manager, through {@link #client(Node, Object)}.
 *
 * <p>It speaks OTP's manager protocol: Erlang's {@code gen_event:notify}, {@code sync_notify}, {@code call},
 * {@code which_handlers}, {@code delete_handler} and {@code stop} work on an Ergon manager, and the client on an
 * Erlang one. A handler is named by an id, any term ({@code which_handlers} lists the ids; an atom, or a
 * {@code {Module, Id}} pair, reads best from Erlang). Handlers are Java objects, so they are added from this node
 * only; Erlang's {@code add_handler} of an Erlang module gets {@code {'EXIT', {undef, ...}}}, as from a node without
 * that module. The manager traps exits: a supervised handler's owner that dies takes the handler out, and its parent's
 * exit stops the manager, every handler's {@link EventHandler#terminate} running with {@code stop}.
 */
public final class GenEvent extends Actor {
    private static final Atom NOTIFY = Atom.of("notify");
    private static final Atom OK = Atom.of("ok");
    private static final Atom ERROR = Atom.of("error");
    private static final Atom EXIT = Atom.of("EXIT");
    private static final Atom GEN_EVENT_EXIT = Atom.of("gen_event_EXIT");

    /** An event handler named {@code id}, made by {@code factory}: what {@code addHandler} sends a local manager. */
    record JavaHandler(Object id, Supplier<? extends EventHandler> factory) {
    }

    private static final class Installed {
        final Object id;
        final EventHandler handler;
        final Pid supervisor;

        Installed(Object id, EventHandler handler, Pid supervisor) {
            this.id = id;
            this.handler = handler;
            this.supervisor = supervisor;
        }
    }

    /** The handlers, the most recently added first (OTP's order for events and {@code which_handlers}). */
    private final List<Installed> handlers = new ArrayList<>();

    /** Starts a manager registered as {@code name}. */
    public static Pid start(Node node, String name) {
        return node.spawn(GenEvent::new, SpawnOptions.none().register(name));
    }

    /** Talks to a manager (a pid, a name, a name on another node; Ergon's or Erlang's) from outside any process. */
    public static EventManagerClient client(Node node, Object manager) {
        return new EventManagerClient(node, null, manager);
    }

    /** Talks to a manager as a process: a {@link io.ergon.node.Mailbox}, or an actor's {@code context()}. */
    public static EventManagerClient client(ProcessContext caller, Object manager) {
        return new EventManagerClient(caller.node(), caller, manager);
    }

    @Override
    protected void init() {
        trapExit(true);
    }

    @Override
    protected void handleMessage(Object message) {
        if (SystemMessages.from(message, node()) instanceof From system) {
            // first: {system, From, Request} has the shape of a manager request too
            systemMessage(SystemMessages.request(message), system);
        } else if (message instanceof Tuple t && t.size() == 2 && t.get(0) == NOTIFY) {
            notifyAll(t.get(1), false);
        } else if (message instanceof Tuple t && t.size() == 3 && t.get(1) instanceof Tuple f && f.size() == 2
                && f.get(0) instanceof Pid caller) {
            // gen_event's requests are gen:call's with the caller's pid as the label ({Pid, From, Request}), not
            // '$gen_call'; OTP's manager looks at neither, only at the request
            if (!command(t.get(2), new From(caller, f.get(1), node()))) {
                notifyAll(message, true); // OTP's manager passes any other call to handle_info
            }
        } else if (message instanceof Exit exit && exit.from().equals(parent())) {
            terminateServer(exit.reason());
        } else if (message instanceof Exit exit) {
            terminateSupervised(exit.from(), exit.reason());
            notifyAll(message, true);
        } else {
            notifyAll(message, true);
        }
    }

    /** Carries out a manager request; false if {@code request} is none. */
    private boolean command(Object request, From from) {
        if (request == Atom.of("which_handlers")) {
            from.reply(handlers.stream().map(h -> h.id).toList());
        } else if (request == Atom.of("get_modules")) {
            from.reply(handlers.stream().map(h -> Atom.of(h.handler.getClass().getName())).distinct().toList());
        } else if (request == Atom.of("stop")) {
            stopHandlers();
            from.reply(OK);
            stop(Reasons.NORMAL);
        } else if (request instanceof Tuple t) {
            Object op = t.get(0);
            if (op == Atom.of("sync_notify") && t.size() == 2) {
                notifyAll(t.get(1), false);
                from.reply(OK);
            } else if (op == Atom.of("call") && t.size() == 3) {
                from.reply(callHandler(t.get(1), t.get(2)));
            } else if (op == Atom.of("add_handler") && t.size() == 3) {
                from.reply(add(t.get(1), t.get(2), null, 0));
            } else if (op == Atom.of("add_sup_handler") && t.size() == 4 && t.get(3) instanceof Pid sup) {
                link(sup);
                from.reply(add(t.get(1), t.get(2), sup, 0));
            } else if (op == Atom.of("delete_handler") && t.size() == 3) {
                int i = indexOf(t.get(1));
                from.reply(i < 0 ? Tuple.of(ERROR, Atom.of("module_not_found"))
                        : terminate(handlers.remove(i), t.get(2), t.get(1), Reasons.NORMAL));
            } else if (op == Atom.of("swap_handler") && t.size() == 5) {
                from.reply(swapByRequest(t.get(1), t.get(2), t.get(3), t.get(4), null));
            } else if (op == Atom.of("swap_sup_handler") && t.size() == 6 && t.get(5) instanceof Pid sup) {
                from.reply(swapByRequest(t.get(1), t.get(2), t.get(3), t.get(4), sup));
            } else {
                return false;
            }
        } else {
            return false;
        }
        return true;
    }

    /** Installs a handler at {@code index}: {@code ok}, or {@code {'EXIT', Reason}} if it cannot be made or refused. */
    private Object add(Object handler, Object args, Pid supervisor, int index) {
        if (!(handler instanceof JavaHandler java)) {
            // an Erlang module's handler: this node has no such module, and OTP answers what its catch makes of undef
            Object module = handler instanceof Tuple t && t.size() == 2 ? t.get(0) : handler;
            return Tuple.of(EXIT, Tuple.of(Atom.of("undef"), List.of(Tuple.of(module, Atom.of("init"), List.of(args),
                    List.of()))));
        }
        try {
            EventHandler h = Objects.requireNonNull(java.factory().get(), "the handler factory returned null");
            h.attach(context());
            h.init(args);
            handlers.add(index, new Installed(java.id(), h, supervisor));
            return OK;
        } catch (Exception | LinkageError e) {
            return Tuple.of(EXIT, new CrashReason(e));
        }
    }

    private void notifyAll(Object event, boolean info) {
        for (Installed h : List.copyOf(handlers)) {
            try {
                if (info) {
                    h.handler.handleInfo(event);
                } else {
                    h.handler.handleEvent(event);
                }
                afterCallback(h, event);
            } catch (Exception e) {
                crashed(h, event, e);
            }
        }
    }

    private Object callHandler(Object id, Object request) {
        int i = indexOf(id);
        if (i < 0) {
            return Tuple.of(ERROR, Atom.of("bad_module"));
        }
        Installed h = handlers.get(i);
        try {
            Object reply = h.handler.handleCall(request);
            afterCallback(h, request);
            return reply;
        } catch (Exception e) {
            return Tuple.of(ERROR, crashed(h, request, e));
        }
    }

    /** Removes or swaps the handler if its last callback asked to. */
    private void afterCallback(Installed h, Object lastIn) {
        switch (h.handler.takeNext()) {
            case EventHandler.Remove r -> {
                handlers.remove(h);
                terminate(h, Atom.of("remove_handler"), lastIn, Reasons.NORMAL);
            }
            case EventHandler.Swap s -> {
                int i = handlers.indexOf(h);
                handlers.remove(i);
                Object state = terminate(h, s.args1(), lastIn, swapped(s.id2(), h.supervisor));
                add(new JavaHandler(s.id2(), s.factory()), Tuple.of(s.args2(), state), h.supervisor, i);
            }
            case null -> {
            }
        }
    }

    /** A client's {@code swap_handler}: the old one's terminate result goes to the new one's init, as in OTP. */
    private Object swapByRequest(Object id1, Object args1, Object handler2, Object args2, Pid newSupervisor) {
        int i = indexOf(id1);
        Object state = Atom.of("error");
        Pid supervisor = newSupervisor;
        Object id2 = handler2 instanceof JavaHandler j ? j.id() : handler2;
        if (i >= 0) {
            Installed old = handlers.remove(i);
            supervisor = newSupervisor != null ? newSupervisor : old.supervisor;
            state = terminate(old, args1, Atom.of("swapped"), swapped(id2, supervisor));
        }
        if (newSupervisor != null) {
            link(newSupervisor);
        }
        Object added = add(handler2, Tuple.of(args2, state), supervisor, 0);
        return added == OK ? OK : Tuple.of(ERROR, added);
    }

    /** Takes out a crashed handler; the reason, as {@code {'EXIT', Reason}}. */
    private Object crashed(Installed h, Object lastIn, Exception e) {
        handlers.remove(h);
        Object exit = Tuple.of(EXIT, new CrashReason(e));
        log().error("event handler {} of manager {} crashed on {}", h.id, self(), lastIn, e);
        terminate(h, Tuple.of(ERROR, exit), lastIn, exit);
        return exit;
    }

    /**
     * Runs the handler's terminate with {@code why}, tells its supervising process how it left
     * ({@code {gen_event_EXIT, Id, How}}), and returns what terminate returned ({@code {'EXIT', Reason}} if it threw).
     */
    private Object terminate(Installed h, Object why, Object lastIn, Object how) {
        Object result;
        try {
            result = h.handler.terminate(why);
        } catch (RuntimeException e) {
            log().error("event handler {} of manager {} failed in terminate({})", h.id, self(), why, e);
            result = Tuple.of(EXIT, new CrashReason(e));
        }
        if (h.supervisor != null) {
            send(h.supervisor, Tuple.of(GEN_EVENT_EXIT, h.id, how));
        }
        return result;
    }

    private static Object swapped(Object id2, Pid supervisor) {
        return Tuple.of(Atom.of("swapped"), id2, supervisor == null ? Atom.of("false") : supervisor);
    }

    /** The handlers a dead process supervised leave with {@code {stop, Reason}}. */
    private void terminateSupervised(Pid dead, Object reason) {
        for (Installed h : List.copyOf(handlers)) {
            if (dead.equals(h.supervisor)) {
                handlers.remove(h);
                terminate(h, Tuple.of(Atom.of("stop"), reason), Atom.of("parent_terminated"), Reasons.SHUTDOWN);
            }
        }
    }

    private void terminateServer(Object reason) {
        stopHandlers();
        stop(reason);
    }

    /** Every handler's terminate with {@code stop}, in order; their supervising processes hear {@code shutdown}. */
    private void stopHandlers() {
        for (Installed h : List.copyOf(handlers)) {
            handlers.remove(h);
            terminate(h, Atom.of("stop"), Atom.of("stop"), Reasons.SHUTDOWN);
            if (h.supervisor != null && !h.supervisor.equals(parent())) {
                unlink(h.supervisor);
            }
        }
    }

    private void systemMessage(Object request, From from) {
        if (request == Atom.of("get_state")) {
            from.reply(handlers.stream().map(h -> Tuple.of(Atom.of(h.handler.getClass().getName()), h.id,
                    SystemMessages.fields(h.handler, EventHandler.class))).toList());
        } else if (SystemMessages.terminateReason(request) instanceof Object reason) {
            from.reply(OK); // then proc_lib:stop, behind gen_event:stop, waits for the exit
            terminateServer(reason);
        } else {
            from.reply(Tuple.of(ERROR, Tuple.of(Atom.of("unknown_system_msg"), request)));
        }
    }

    private int indexOf(Object id) {
        for (int i = 0; i < handlers.size(); i++) {
            if (Objects.equals(handlers.get(i).id, id)) {
                return i;
            }
        }
        return -1;
    }
}
