package io.ergon.net;

import io.ergon.term.TermFormat;
import java.util.List;

/**
 * A remote call that did not return a value, in erpc's terms: the function threw ({@link Kind#THROW}), exited
 * ({@link Kind#EXIT}) or raised an error ({@link Kind#ERROR}, with the remote stack), the node went away
 * ({@link Kind#NOCONNECTION}), no answer came in time ({@link Kind#TIMEOUT}), the call could not start there
 * ({@link Kind#SPAWN}: e.g. {@code notsup}), or {@code rpc:call} answered {@code {badrpc, Reason}}
 * ({@link Kind#BADRPC}).
 */
public final class RpcException extends RuntimeException {
    /** How the call failed. */
    public enum Kind { THROW, EXIT, ERROR, NOCONNECTION, TIMEOUT, SPAWN, BADRPC }

    private final Kind kind;
    private final transient Object reason;
    private final transient List<Object> stack;

    public RpcException(Kind kind, Object reason, List<Object> stack) {
        super("rpc " + kind.name().toLowerCase() + ": " + TermFormat.print(reason));
        this.kind = kind;
        this.reason = reason;
        this.stack = stack == null ? List.of() : stack;
    }

    public Kind kind() {
        return kind;
    }

    /** The thrown value, the exit or error reason, or the spawn error. */
    public Object reason() {
        return reason;
    }

    /** The remote stack of an {@link Kind#ERROR} (Erlang's {@code [{M, F, A, Location}]}), else empty. */
    public List<Object> stack() {
        return stack;
    }
}
