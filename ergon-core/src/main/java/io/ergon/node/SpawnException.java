package io.ergon.node;

import io.ergon.term.Atom;
import io.ergon.term.TermFormat;

/**
 * A process that could not start: its factory or its {@code init} threw, {@code init} asked to stop, or its name
 * was taken ({@code {already_started, Pid}}). {@link #reason()} is the Erlang-shaped reason; {@link #isIgnore()}
 * tells an {@code init} that chose to start nothing (Erlang's {@code ignore}).
 */
public final class SpawnException extends ExitException {
    /** Erlang's {@code ignore}: init decided not to start, which is not an error for a supervisor. */
    public static final Atom IGNORE = Atom.of("ignore");

    /** A start that failed with this reason. */
    public SpawnException(Object reason, Throwable cause) {
        super(reason, cause);
    }

    /** True if init chose not to start ({@code ignore}). */
    public boolean isIgnore() {
        return reason() == IGNORE;
    }

    @Override
    public String getMessage() {
        return "process did not start: " + TermFormat.print(reason());
    }
}
