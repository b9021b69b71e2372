package io.ergon.net;

import io.ergon.term.ErlangException;
import io.ergon.term.TermFormat;
import java.util.List;

/**
 * A remote call that did not return a value, in erpc's terms: the function threw ({@link Kind#THROW}), exited
 * ({@link Kind#EXIT}) or raised an error ({@link Kind#ERROR}, with the remote stack), the node went away
 * ({@link Kind#NOCONNECTION}), no answer came in time ({@link Kind#TIMEOUT}), the call could not start there
 * ({@link Kind#SPAWN}: e.g. {@code notsup}), or {@code rpc:call} answered {@code {badrpc, Reason}}
 * ({@link Kind#BADRPC}). {@link #reason()} is the thrown value, the exit or error reason, the spawn error or the
 * {@code badrpc} reason.
 */
public final class RpcException extends ErlangException {
    private static final long serialVersionUID = 1L;

    /** How the call failed. */
    public enum Kind { THROW, EXIT, ERROR, NOCONNECTION, TIMEOUT, SPAWN, BADRPC }

    private final Kind kind;
    private final transient List<Object> stack;

    /** A failure of this kind with this reason and, for {@link Kind#ERROR}, the remote stack (may be null). */
    public RpcException(Kind kind, Object reason, List<Object> stack) {
        super(reason, "rpc " + kind.name().toLowerCase() + ": " + TermFormat.print(reason), null);
        this.kind = kind;
        this.stack = stack == null ? List.of() : stack;
    }

    /** How the call failed. */
    public Kind kind() {
        return kind;
    }

    /** The remote stack of an {@link Kind#ERROR} (Erlang's {@code [{M, F, A, Location}]}), else empty. */
    public List<Object> stack() {
        return stack;
    }
}
