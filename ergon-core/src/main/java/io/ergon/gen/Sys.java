package io.ergon.gen;

import io.ergon.node.CallException;
import io.ergon.node.CallTimeoutException;
import io.ergon.node.Down;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.time.Duration;

/**
 * OTP's {@code sys} module from Java: {@code get_state}, {@code get_status}, {@code suspend} and {@code resume} of a
 * server, an Ergon GenServer or any Erlang process that speaks the {@code sys} protocol ({@code gen_server},
 * {@code gen_statem}, a supervisor), local or on another node. Each is a call: {@code {system, {Self, Tag}, Request}}
 * and a wait for {@code {Tag, Reply}} or the server's {@code DOWN}, with the default timeout of 5 s.
 */
public final class Sys {
    private static final Atom SYSTEM = Atom.of("system");
    private static final Atom ERROR = Atom.of("error");
    private static final Atom OK = Atom.of("ok");

    private Sys() {
    }

    /** {@code sys:get_state(Server)} from a plain thread. */
    public static Object getState(Node node, Object server) {
        try (Mailbox m = node.mailbox()) {
            return getState(m, server);
        }
    }

    /** {@code sys:get_state(Server)} as {@code caller}. */
    public static Object getState(ProcessContext caller, Object server) {
        Object state = call(caller, server, Atom.of("get_state"));
        if (state instanceof Tuple t && t.size() == 2 && t.get(0) == ERROR) {
            throw new IllegalStateException("sys:get_state of " + server + " failed: " + t.get(1));
        }
        return state;
    }

    /** {@code sys:get_status(Server)}: {@code {status, Pid, {module, Mod}, [...]}} as the server gives it. */
    public static Object getStatus(ProcessContext caller, Object server) {
        return call(caller, server, Atom.of("get_status"));
    }

    /** {@code sys:suspend(Server)}: it handles only system messages until {@link #resume}. */
    public static void suspend(ProcessContext caller, Object server) {
        expectOk(server, "suspend", call(caller, server, Atom.of("suspend")));
    }

    /** {@code sys:resume(Server)}. */
    public static void resume(ProcessContext caller, Object server) {
        expectOk(server, "resume", call(caller, server, Atom.of("resume")));
    }

    private static void expectOk(Object server, String what, Object reply) {
        if (reply != OK) {
            throw new IllegalStateException("sys:" + what + " of " + server + " answered " + reply);
        }
    }

    private static Object call(ProcessContext caller, Object server, Object request) {
        Duration timeout = Node.DEFAULT_CALL_TIMEOUT;
        Ref monitor = caller.monitor(server);
        Ref tag = monitor;
        caller.send(server, Tuple.of(SYSTEM, Tuple.of(caller.self(), tag), request));
        Object answer = caller.receive(m -> (m instanceof Tuple t && t.size() == 2 && tag.equals(t.get(0)))
                || (m instanceof Down d && d.ref().equals(monitor)), timeout);
        if (answer instanceof Down d) {
            throw new CallException(d.reason() == Reasons.NOCONNECTION ? Tuple.of(Atom.of("nodedown"),
                    server instanceof Name n ? n.node() : Atom.UNDEFINED) : d.reason(), server, request, timeout);
        }
        caller.demonitor(monitor);
        if (answer == null) {
            throw new CallTimeoutException(server, request, timeout);
        }
        return ((Tuple) answer).get(1);
    }
}
