package io.ergon.net.internal;

import java.io.IOException;

/** A distribution handshake that did not complete: how it ended ({@link Outcome}) and the reason, for the log. */
public final class HandshakeException extends IOException {
    /** How a handshake that did not complete ended. */
    public enum Outcome {
        /** It failed (wrong cookie, missing capability, bad message, ...): worth a warning. */
        FAILED,
        /**
         * The acceptor settled a race normally (our own attempt wins, or the peer kept its existing connection):
         * worth a debug line.
         */
        RESOLVED,
        /**
         * The peer answered {@code nok} or {@code alive} to our attempt: another attempt for the same pair wins a
         * simultaneous connect, and the connection comes from it (or fails in time).
         */
        GAVE_WAY
    }

    private final Outcome outcome;

    public HandshakeException(String message) {
        this(message, Outcome.FAILED);
    }

    public HandshakeException(String message, Outcome outcome) {
        super(message);
        this.outcome = outcome;
    }

    public Outcome outcome() {
        return outcome;
    }
}
