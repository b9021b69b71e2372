package io.ergon.node;

import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.List;

/**
 * A call that did not get a reply: the callee did not exist ({@code noproc}), died during the call (its exit
 * reason), its node went away ({@code {nodedown, Node}}), or the timeout passed ({@link CallTimeoutException}).
 *
 * <p>As with {@code gen_server:call}, the exit reason is {@code {Reason, {gen_server, call, [Dest, Request,
 * Timeout]}}}, so a process that lets this exception escape exits the way an Erlang caller would.
 */
public class CallException extends ExitException {
    private static final Atom GEN_SERVER = Atom.of("gen_server");
    private static final Atom CALL = Atom.of("call");
    private static final Atom INFINITY = Atom.of("infinity");

    private final transient Object failure;

    /** A call to {@code dest} with {@code request} that failed with {@code failure}. */
    public CallException(Object failure, Object dest, Object request, Duration timeout) {
        super(Tuple.of(failure, Tuple.of(GEN_SERVER, CALL, List.of(dest, request, timeoutTerm(timeout)))));
        this.failure = failure;
    }

    /** Why the call failed: {@code noproc}, {@code timeout}, {@code {nodedown, Node}} or the callee's exit reason. */
    public Object failure() {
        return failure;
    }

    static Object timeoutTerm(Duration timeout) {
        return timeout == null ? INFINITY : (Object) timeout.toMillis();
    }
}
