package io.ergon.events;

/**
 * How an event is registered (Ergo's {@code gen.EventOptions}). Immutable; each method returns a changed copy.
 *
 * @param buffer how many of the latest events to keep for new subscribers, who get them from
 *     {@link Events#subscribe}, oldest first (0: none)
 * @param notifyProducer whether the producer gets an {@link EventStart} when its event gains its first subscriber
 *     and an {@link EventStop} when it loses its last, so that it can stop working while nobody listens (Ergo's
 *     {@code Notify})
 */
public record EventOptions(int buffer, boolean notifyProducer) {
    public EventOptions {
        if (buffer < 0) {
            throw new IllegalArgumentException("an event's buffer holds 0 or more events, not " + buffer);
        }
    }

    /** No buffer, no notifications. */
    public static EventOptions defaults() {
        return new EventOptions(0, false);
    }

    /** Keeps the latest {@code events} for new subscribers. @throws IllegalArgumentException if negative */
    public EventOptions buffer(int events) {
        return new EventOptions(events, notifyProducer);
    }

    /** Tells the producer when its event gains its first subscriber and loses its last. */
    public EventOptions notifyProducer(boolean on) {
        return new EventOptions(buffer, on);
    }
}
