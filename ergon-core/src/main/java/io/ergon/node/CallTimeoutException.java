package io.ergon.node;

import java.time.Duration;

/** A call whose reply did not come within its timeout (the callee may still be working on it). */
public final class CallTimeoutException extends CallException {
    /** The call to {@code dest} with {@code request} timed out after {@code timeout}. */
    public CallTimeoutException(Object dest, Object request, Duration timeout) {
        super(Reasons.TIMEOUT, dest, request, timeout);
    }
}
