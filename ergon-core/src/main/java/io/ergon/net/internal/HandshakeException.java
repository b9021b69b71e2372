package io.ergon.net.internal;

import java.io.IOException;

/** A distribution handshake that did not complete, with the reason, for the log. */
public final class HandshakeException extends IOException {
    private final boolean expected;

    public HandshakeException(String message) {
        this(message, false);
    }

    /** @param expected a normal outcome (a simultaneous connect resolved), not a problem to warn about */
    public HandshakeException(String message, boolean expected) {
        super(message);
        this.expected = expected;
    }

    /** True for a normal outcome, such as losing a simultaneous connect: worth a debug line, not a warning. */
    public boolean expected() {
        return expected;
    }
}
