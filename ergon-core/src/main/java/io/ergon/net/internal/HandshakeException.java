package io.ergon.net.internal;

import java.io.IOException;

/** A distribution handshake that did not complete, with the reason, for the log. */
public final class HandshakeException extends IOException {
    public HandshakeException(String message) {
        super(message);
    }
}
