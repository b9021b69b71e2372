package io.ergon.gen;

import io.ergon.term.ErlangException;
import io.ergon.term.TermFormat;

/**
 * A supervisor refused a request: {@link #reason()} is OTP's error term, e.g. {@code not_found}, {@code running},
 * {@code restarting}, {@code already_present}, {@code {already_started, Pid}}, {@code simple_one_for_one}, or the
 * reason a child failed to start.
 */
public final class SupervisorException extends ErlangException {
    private static final long serialVersionUID = 1L;

    /** A refusal with this reason; {@code what} says which request. */
    public SupervisorException(String what, Object reason, Throwable cause) {
        super(reason, what + ": " + TermFormat.print(reason), cause);
    }
}
