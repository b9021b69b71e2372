package io.ergon.net;

import java.io.IOException;

/** EPMD refused a request or answered with something that is not the EPMD protocol. */
public final class EpmdException extends IOException {
    public EpmdException(String message) {
        super(message);
    }
}
