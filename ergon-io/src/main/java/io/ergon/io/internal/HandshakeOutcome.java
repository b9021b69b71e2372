package io.ergon.io.internal;

import io.ergon.io.IoError;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a connection's handshake ended, for those who wait for it (writers, a passive reader, the side that connects):
 * done, or failed with the reason the owner gets. Its deadline is a timer shared by every connection, not a thread
 * of its own. Thread-safe; the first outcome stands.
 */
final class HandshakeOutcome {
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** An outcome that is there already: the connection has no handshake. */
    static HandshakeOutcome none() {
        HandshakeOutcome o = new HandshakeOutcome();
        o.done.complete(null);
        return o;
    }

    /** An outcome to come, and {@code expire} run at {@code timeout} (it fails the handshake if still unfinished). */
    static HandshakeOutcome pending(Duration timeout, Runnable expire) {
        HandshakeOutcome o = new HandshakeOutcome();
        CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS,
                r -> Thread.ofVirtual().name("ergon-io-handshake-deadline").start(r)).execute(expire);
        return o;
    }

    void succeed() {
        done.complete(null);
    }

    void fail(IoError failure) {
        done.completeExceptionally(failure);
    }

    /**
     * Waits for the outcome, up to {@code timeout} (null: until there is one, by the deadline at the latest).
     *
     * @throws IoError the handshake's failure, or {@code timeout}
     */
    void await(Duration timeout) {
        if (done.isDone() && !done.isCompletedExceptionally()) {
            return;
        }
        try {
            if (timeout == null) {
                done.get();
            } else {
                done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            IoError failure = (IoError) e.getCause();
            throw new IoError(failure.reason(), failure.getMessage(), failure);
        } catch (TimeoutException e) {
            throw new IoError(IoError.TIMEOUT, "the TLS handshake did not finish within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IoError(IoError.TIMEOUT, "interrupted");
        }
    }
}
