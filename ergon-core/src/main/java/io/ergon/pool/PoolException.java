package io.ergon.pool;

/**
 * A pool could not carry out a request; {@link #reason()} says why, as the term the pool answered:
 * {@code pool_full} (too many requests waiting), {@code {worker_exit, Reason}} (the worker handling it exited), or
 * {@code timeout} (no worker could be checked out in time).
 */
public final class PoolException extends RuntimeException {
    private final transient Object reason;

    public PoolException(Object pool, Object reason) {
        super("pool " + pool + ": " + reason);
        this.reason = reason;
    }

    /** Why, as a term. */
    public Object reason() {
        return reason;
    }
}
