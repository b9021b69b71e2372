package io.ergon.node;

import io.ergon.term.Atom;
import io.ergon.term.ErlangException;

/**
 * Erlang's {@code badarg}: a process operation was given an argument that names nothing it can act on, such as a
 * send to a local name that is not registered ({@code erlang:send/2} fails with {@code badarg} there too).
 * {@link #reason()} is the atom {@code badarg}; the message says what was wrong.
 *
 * <p>Unchecked, like every {@link ErlangException}. It is not an {@link IllegalArgumentException} (a class cannot
 * extend both); code that caught that around a send catches this instead.
 */
public final class BadArgumentException extends ErlangException {
    private static final long serialVersionUID = 1L;

    /** Erlang's reason for a bad argument to a BIF. */
    public static final Atom BADARG = Atom.of("badarg");

    /** A {@code badarg} failure; {@code detail} says what was wrong, for the message. */
    public BadArgumentException(String detail) {
        super(BADARG, "badarg: " + detail, null);
    }
}
