package io.ergon.node;

import java.util.concurrent.ScheduledFuture;

/** A message scheduled with {@code sendAfter}; cancel it before it fires with {@link #cancel()}. */
public final class TimerRef {
    private final ScheduledFuture<?> future;

    /** Wraps the scheduled delivery; built by the runtime. */
    public TimerRef(ScheduledFuture<?> future) {
        this.future = future;
    }

    /** Cancels the timer; true if it had not fired yet (so the message will never be sent). */
    public boolean cancel() {
        return future.cancel(false);
    }

    /** True once the message was sent or the timer cancelled. */
    public boolean isDone() {
        return future.isDone();
    }
}
