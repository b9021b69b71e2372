package io.ergon.term;

/**
 * The common supertype of every exception that stands for an Erlang exception: {@link #reason()} is the term an
 * Erlang process would see for the same failure, e.g. the exit reason of an {@code exit/1}, the
 * {@code {error, Reason}} term of a refused supervisor request, or {@code badarg} for a bad argument to a BIF.
 *
 * <p>Unchecked, as Erlang's exceptions are: a caller handles the ones it can act on (a {@code catch} in Erlang)
 * and lets the rest end the process, which then exits with the reason. Java programming errors (a null argument,
 * a value of the wrong Java type) stay {@link IllegalArgumentException} and {@link NullPointerException}, and I/O
 * failures stay checked {@link java.io.IOException}s. See the "Errors" section of the README for the hierarchy.
 */
public abstract class ErlangException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Terms are not all serializable; a deserialized exception keeps its message but has no reason. */
    private final transient Object reason;

    /** An exception for {@code reason}, with a message for Java logs and an optional Java cause. */
    protected ErlangException(Object reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * Like {@link #ErlangException(Object, String, Throwable)}, but without suppressed exceptions, and without a
     * stack trace when {@code writableStackTrace} is false: for exceptions used as cheap control flow.
     */
    protected ErlangException(Object reason, String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, false, writableStackTrace);
        this.reason = reason;
    }

    /** The Erlang term an Erlang peer would see as the reason for this failure; never null for Ergon's own. */
    public final Object reason() {
        return reason;
    }
}
