package io.ergon.node;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A message scheduled with {@code sendAfter}; cancel it before it fires with {@link #cancel()}. Firing and
 * cancelling claim the timer once, so {@code cancel()} returns true exactly when the message will never be sent,
 * and false once it has been (even if the receiver got it a moment before the timer thread finished).
 */
public final class TimerRef {
    private final ScheduledFuture<?> future;
    private final AtomicBoolean claimed;

    /**
     * Wraps a scheduled delivery whose task sends only if it wins {@code claimed} (compare-and-set from false);
     * built by the runtime.
     */
    public TimerRef(ScheduledFuture<?> future, AtomicBoolean claimed) {
        this.future = future;
        this.claimed = claimed;
    }

    /** Cancels the timer; true if it had not fired yet (so the message will never be sent). */
    public boolean cancel() {
        if (!claimed.compareAndSet(false, true)) {
            return false;
        }
        future.cancel(false);
        return true;
    }

    /** True once the message was sent (or is being sent) or the timer cancelled. */
    public boolean isDone() {
        return claimed.get() || future.isDone();
    }
}
