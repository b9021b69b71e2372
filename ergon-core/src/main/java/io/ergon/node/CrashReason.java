package io.ergon.node;

import io.ergon.term.Atom;
import io.ergon.term.TermConvertible;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import java.util.Objects;

/**
 * The exit reason of a process ended by an exception its handler threw. An Erlang peer sees it as
 * {@code {java_exception, 'the.exception.Class', <<"message">>}}; Java code can also reach the exception itself
 * through {@link #exception()} (on the node where it was thrown).
 *
 * <p>Two crash reasons are equal when class name and message are equal.
 */
public final class CrashReason implements TermConvertible {
    /** The tag of the tuple an Erlang peer sees. */
    public static final Atom TAG = Atom.of("java_exception");

    private final String exceptionClass;
    private final String message;
    private final transient Throwable exception;

    /** The reason for this exception. */
    public CrashReason(Throwable exception) {
        this.exception = Objects.requireNonNull(exception, "exception");
        this.exceptionClass = exception.getClass().getName();
        this.message = exception.getMessage() == null ? "" : exception.getMessage();
    }

    /** The exception's class name. */
    public String exceptionClass() {
        return exceptionClass;
    }

    /** The exception's message, empty if it had none. */
    public String message() {
        return message;
    }

    /** The exception, on the node where it was thrown; null elsewhere. */
    public Throwable exception() {
        return exception;
    }

    @Override
    public Object toTerm() {
        return Tuple.of(TAG, Atom.of(exceptionClass), message);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CrashReason r && r.exceptionClass.equals(exceptionClass) && r.message.equals(message);
    }

    @Override
    public int hashCode() {
        return exceptionClass.hashCode() * 31 + message.hashCode();
    }

    @Override
    public String toString() {
        return TermFormat.print(toTerm());
    }
}
