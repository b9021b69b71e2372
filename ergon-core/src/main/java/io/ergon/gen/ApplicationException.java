package io.ergon.gen;

import io.ergon.term.ErlangException;

/**
 * An application operation that was refused or failed. {@link #reason()} is OTP's error term, e.g.
 * {@code {not_loaded, App}}, {@code {already_started, App}}, {@code {not_started, App}},
 * {@code {already_loaded, App}}, {@code {running, App}}, {@code {circular_dependencies, Apps}} or
 * {@code {App, RootStartFailure}}; the message says the same in words.
 */
public final class ApplicationException extends ErlangException {
    private static final long serialVersionUID = 1L;

    /** A failure with this message and reason. */
    public ApplicationException(String message, Object reason, Throwable cause) {
        super(reason, message, cause);
    }
}
