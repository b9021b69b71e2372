package io.ergon.node;

import io.ergon.term.TermFormat;

/**
 * Erlang's {@code exit(Reason)} as a Java exception. Thrown out of a handler, it ends the process with
 * {@link #reason()} (no crash report if the reason is {@linkplain Reasons#isNormal normal}); Ergon throws it where
 * Erlang would exit, e.g. from a failed call or from a mailbox whose owner was killed.
 */
public class ExitException extends RuntimeException {
    private final transient Object reason;

    /** An exit with this reason. */
    public ExitException(Object reason) {
        this(reason, null);
    }

    /** An exit with this reason and a Java cause. */
    public ExitException(Object reason, Throwable cause) {
        super("exit: " + TermFormat.print(reason), cause);
        this.reason = reason;
    }

    /** The exit reason, an Erlang term. */
    public Object reason() {
        return reason;
    }
}
