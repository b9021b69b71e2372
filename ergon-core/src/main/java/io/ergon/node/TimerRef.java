package io.ergon.node;

import io.ergon.api.InternalApi;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A message scheduled with {@code sendAfter}; cancel it before it fires with {@link #cancel()}. Firing and
 * cancelling claim the timer once, so {@code cancel()} returns true exactly when the message will never be sent,
 * and false once it has been (even if the receiver got it a moment before the timer thread finished).
 */
public final class TimerRef {
    private final Future<?> future;
    /** Claimed once, by the timer when it fires or by {@link #cancel()}: whoever claims it decides. */
    private final AtomicBoolean settled;

    /**
     * Wraps a scheduled delivery that sends only if it claims {@code settled} first; built by the runtime. Without
     * the claim, a timer that has sent its message but not yet returned still counts as cancellable.
     */
    @InternalApi
    public TimerRef(Future<?> future, AtomicBoolean settled) {
        this.future = future;
        this.settled = settled;
    }

    /** Cancels the timer; true if it had not fired yet (so the message will never be sent). */
    public boolean cancel() {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        future.cancel(false);
        return true;
    }

    /** True once the message was sent (or is being sent) or the timer cancelled. */
    public boolean isDone() {
        return settled.get() || future.isDone();
    }
}
