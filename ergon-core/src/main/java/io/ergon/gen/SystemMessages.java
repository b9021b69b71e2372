package io.ergon.gen;

import io.ergon.node.From;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTP's {@code sys} protocol as a GenServer answers it: {@code {system, From, Request}} for {@code get_state},
 * {@code get_status}, {@code suspend}, {@code resume}, {@code terminate} (the caller's part),
 * {@code replace_state} (refused: its argument is an Erlang fun)
 * and the {@code debug} requests (no statistics or log are kept), with the replies {@code sys} expects, so that
 * {@code sys:get_state({Name, Node})} and its kin work on an Ergon server from Erlang.
 */
final class SystemMessages {
    static final Atom SYSTEM = Atom.of("system");
    private static final Atom OK = Atom.of("ok");
    private static final Atom ERROR = Atom.of("error");

    private SystemMessages() {
    }

    /** Whether {@code message} is {@code {system, {Pid, Tag}, Request}}. */
    static boolean is(Object message) {
        return message instanceof Tuple t && t.size() == 3 && t.get(0) == SYSTEM && t.get(1) instanceof Tuple f
                && f.size() == 2 && f.get(0) instanceof Pid;
    }

    /** The {@code From} of a system message, or null if {@code message} is none. */
    static From from(Object message, io.ergon.node.Node node) {
        if (!is(message)) {
            return null;
        }
        Tuple f = (Tuple) ((Tuple) message).get(1);
        return new From((Pid) f.get(0), f.get(1), node);
    }

    /** The request of a system message. */
    static Object request(Object message) {
        return ((Tuple) message).get(2);
    }

    /**
     * The reason of {@code sys:terminate}'s {@code {terminate, Reason}} request, or null if {@code request} is another:
     * OTP replies {@code ok} first, then the process ends with that reason (what {@code proc_lib:stop} waits for).
     */
    static Object terminateReason(Object request) {
        return request instanceof Tuple t && t.size() == 2 && t.get(0) == Atom.of("terminate") ? t.get(1) : null;
    }

    /**
     * Answers {@code request} for {@code server}; returns true for {@code suspend} (the server then handles only
     * system messages until {@code resume}).
     */
    static boolean answer(GenServer server, From from, Object request, boolean suspended) {
        if (request instanceof Atom a) {
            switch (a.name()) {
                case "get_state" -> from.reply(server.systemState()); // sys.erl's do_get_state: the state itself
                case "get_status" -> from.reply(status(server, suspended));
                case "suspend" -> {
                    from.reply(OK);
                    return true;
                }
                case "resume" -> from.reply(OK);
                default -> from.reply(Tuple.of(ERROR, Tuple.of(Atom.of("unknown_system_msg"), request)));
            }
            return false;
        }
        if (request instanceof Tuple t && t.size() == 2 && t.get(0) == Atom.of("replace_state")) {
            from.reply(Tuple.of(ERROR, Tuple.of(Atom.of("callback_failed"), Tuple.of(Atom.of("gen_server"),
                    Atom.of("system_replace_state")), Tuple.of(ERROR, Atom.of("not_supported_by_java_servers")))));
        } else if (request instanceof Tuple t && t.size() == 2 && t.get(0) == Atom.of("debug")) {
            Object what = t.get(1);
            if (what instanceof Tuple d && d.size() == 2 && d.get(1) == Atom.of("get")) {
                from.reply(d.get(0) == Atom.of("statistics") ? Tuple.of(OK, Atom.of("no_statistics"))
                        : Tuple.of(OK, List.of()));
            } else {
                from.reply(OK);
            }
        } else {
            from.reply(Tuple.of(ERROR, Tuple.of(Atom.of("unknown_system_msg"), request)));
        }
        return false;
    }

    /** {@code {status, Pid, {module, gen_server}, [PDict, SysState, Parent, Debug, Misc]}}, as gen_server's. */
    private static Object status(GenServer server, boolean suspended) {
        Atom sysState = Atom.of(suspended ? "suspended" : "running");
        Object parent = server.parentForStatus();
        List<Object> header = List.of(Tuple.of(Atom.of("header"), Binary.of("Status for generic server "
                + (server.selfForStatus()))));
        List<Object> misc = new ArrayList<>(header);
        misc.add(Tuple.of(Atom.of("data"), List.of(Tuple.of(Binary.of("Status"), sysState),
                Tuple.of(Binary.of("Parent"), parent), Tuple.of(Binary.of("Logged events"), List.of()))));
        misc.add(Tuple.of(Atom.of("data"), List.of(Tuple.of(Binary.of("State"), server.systemState()))));
        return Tuple.of(Atom.of("status"), server.selfForStatus(), Tuple.of(Atom.of("module"),
                Atom.of("gen_server")), List.of(List.of(), sysState, parent, List.of(), misc));
    }

    /**
     * An object's state as {@code sys:get_state} shows it by default: its own fields (those its class and the classes
     * between it and {@code upTo} declare), by name, each value kept if it is a plain term (number, string,
     * boolean, atom, pid, reference, binary) and shown as text otherwise.
     */
    static Map<Atom, Object> fields(Object server, Class<?> upTo) {
        Map<Atom, Object> out = new LinkedHashMap<>();
        for (Class<?> c = server.getClass(); c != null && c != upTo; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    out.put(Atom.of(f.getName()), plain(f.get(server)));
                } catch (RuntimeException | IllegalAccessException notOpen) {
                    out.put(Atom.of(f.getName()), Binary.of("(not readable: open the package to io.ergon.core)"));
                }
            }
        }
        return out;
    }

    private static Object plain(Object v) {
        if (v == null) {
            return Atom.UNDEFINED;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof Double || v instanceof Float || v instanceof Boolean || v instanceof String
                || v instanceof Atom || v instanceof Pid || v instanceof Ref || v instanceof Binary) {
            return v;
        }
        return Binary.of(String.valueOf(v));
    }
}
