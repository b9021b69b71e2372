package io.ergon.node.internal;

import io.ergon.node.CallException;
import io.ergon.node.CallTimeoutException;
import io.ergon.node.Down;
import io.ergon.node.Name;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.ImproperList;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.List;

/**
 * OTP's {@code gen:call}, as a process does it: monitor the callee (the monitor doubles as the alias the reply is
 * sent to, {@code [alias | Ref]}), send {@code {'$gen_call', {Self, Tag}, Request}}, and wait selectively for
 * {@code {Tag, Reply}} or the monitor's DOWN, leaving every other message queued. A dead or unreachable callee
 * fails the call at once, a slow one at the timeout; a reply that comes after the call gave up is dropped.
 *
 * <p>A local server that the request has just woken on the caller's worker runs there first, nested in the caller's
 * activation (on the caller's own stack if it allows that, {@code Actor.callerRuns}); the wait that follows is what
 * remains of the timeout, and usually finds the reply queued.
 */
final class GenCall {
    private static final Atom GEN_CALL = Atom.of("$gen_call");
    private static final Atom ALIAS = Atom.of("alias");
    private static final Atom NODEDOWN = Atom.of("nodedown");

    private GenCall() {
    }

    /** Calls {@code to} from {@code caller}, on the caller's own thread. */
    static Object call(ProcessCore caller, Object to, Object request, Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + timeout);
        }
        NodeCore node = caller.node();
        Object dest = Name.destination(to);
        ProcessCore local = localCallee(caller, dest);
        Ref mref = local != null ? caller.monitorDirectly(dest, local) : caller.monitor(dest, true);
        boolean remote = (dest instanceof Pid p && !node.isLocal(p))
                || (dest instanceof Name n && !n.node().equals(node.name()));
        if (remote) {
            node.registerAlias(mref, caller); // a remote callee answers through the alias (ALIAS_SEND)
        }
        Object tag = new ImproperList(List.of(ALIAS), mref);
        node.sendQuietly(caller.pid(), dest, Tuple.of(GEN_CALL, Tuple.of(caller.pid(), tag), request));
        long ranNanos = local == null ? -1 : runCallee(caller, local);
        Duration wait = ranNanos < 0 || timeout == null ? timeout : timeout.minusNanos(ranNanos);
        // a negative wait: the server ran here past the timeout, which expired meanwhile (negative ones are refused)
        Object answer = wait != null && wait.isNegative() ? null
                : caller.receive(m -> (m instanceof Tuple t && t.size() == 2 && tag.equals(t.get(0)))
                        || (m instanceof Down d && d.ref().equals(mref)), wait);
        if (answer instanceof Down d) {
            Object failure = d.reason() == Reasons.NOCONNECTION ? Tuple.of(NODEDOWN, nodeOf(node, dest)) : d.reason();
            throw new CallException(failure, dest, request, timeout);
        }
        if (local != null) {
            caller.demonitorDirectly(mref, local);
        } else {
            caller.demonitor(mref, true);
        }
        if (answer == null) {
            throw new CallTimeoutException(dest, request, timeout);
        }
        return ((Tuple) answer).get(1);
    }

    /**
     * Runs local callee {@code callee}, which the request may have just woken, before the caller waits: on the
     * caller's own stack if it allows that ({@code Actor.callerRuns}), else nested in a continuation of its own on
     * this worker ({@link Scheduler#runCallee}); the nanoseconds it took, to come off the call's timeout, or -1 if it
     * did not run here.
     */
    private static long runCallee(ProcessCore caller, ProcessCore callee) {
        long ran = callee.runOnCallerThread();
        return ran >= 0 ? ran : Scheduler.runCallee(caller, callee);
    }

    /** The live local process a call to {@code dest} goes to, or null (remote, missing, or the caller itself). */
    private static ProcessCore localCallee(ProcessCore caller, Object dest) {
        NodeCore node = caller.node();
        ProcessCore target = switch (dest) {
            case Pid p -> node.lookup(p);
            case Atom a -> node.whereis(a);
            case Name n when n.node() == node.name() -> node.whereis(n.name());
            default -> null;
        };
        return target == caller ? null : target;
    }

    private static Atom nodeOf(NodeCore node, Object dest) {
        return switch (dest) {
            case Pid p -> p.node();
            case Name n -> n.node();
            default -> node.name();
        };
    }
}
