package io.ergon.events;

import io.ergon.node.Name;
import io.ergon.term.Atom;
import io.ergon.term.TermConvertible;
import io.ergon.term.Tuple;
import java.util.Objects;

/**
 * To a producer that registered with {@link EventOptions#notifyProducer(boolean) notifyProducer(true)}:
 * the last subscriber of its event left (unsubscribed, died, or its node went away), so nobody listens until the
 * next {@link EventStart}. Ergo's {@code MessageEventStop}; an Erlang peer would see
 * {@code {event_stop, {Name, Node}}}.
 *
 * @param event the event
 */
public record EventStop(Name event) implements TermConvertible {
    /** {@code event_stop} */
    public static final Atom TAG = Atom.of("event_stop");

    public EventStop {
        Objects.requireNonNull(event, "event");
    }

    @Override
    public Object toTerm() {
        return Tuple.of(TAG, event);
    }
}
