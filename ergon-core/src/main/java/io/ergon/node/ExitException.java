package io.ergon.node;

import io.ergon.term.ErlangException;
import io.ergon.term.TermFormat;

/**
 * Erlang's {@code exit(Reason)} as a Java exception. Thrown out of a handler, it ends the process with
 * {@link #reason()} (no crash report if the reason is {@linkplain Reasons#isNormal normal}); Ergon throws it where
 * Erlang would exit, e.g. from a failed call or from a mailbox whose owner was killed.
 */
public class ExitException extends ErlangException {
    private static final long serialVersionUID = 1L;

    /** An exit with this reason. */
    public ExitException(Object reason) {
        this(reason, null);
    }

    /** An exit with this reason and a Java cause. */
    public ExitException(Object reason, Throwable cause) {
        super(reason, "exit: " + TermFormat.print(reason), cause);
    }
}
