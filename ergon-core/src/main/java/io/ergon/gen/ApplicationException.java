package io.ergon.gen;

/**
 * An application operation that was refused or failed. {@link #reason()} is OTP's error term, e.g.
 * {@code {not_loaded, App}}, {@code {already_started, App}}, {@code {not_started, App}},
 * {@code {already_loaded, App}}, {@code {running, App}}, {@code {circular_dependencies, Apps}} or
 * {@code {App, RootStartFailure}}; the message says the same in words.
 */
public final class ApplicationException extends RuntimeException {
    private final transient Object reason;

    /** A failure with this message and reason. */
    public ApplicationException(String message, Object reason, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** The error term (what OTP returns as {@code {error, Reason}}). */
    public Object reason() {
        return reason;
    }
}
