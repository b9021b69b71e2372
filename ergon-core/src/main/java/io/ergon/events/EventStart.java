package io.ergon.events;

import io.ergon.node.Name;
import io.ergon.term.Atom;
import io.ergon.term.TermConvertible;
import io.ergon.term.Tuple;
import java.util.Objects;

/**
 * To a producer that registered with {@link EventOptions#notifyProducer(boolean) notifyProducer(true)}:
 * its event has a subscriber again (the first one, or the first after an {@link EventStop}). A node with several
 * subscribers counts once. Ergo's {@code MessageEventStart}; an Erlang peer would see
 * {@code {event_start, {Name, Node}}}.
 *
 * @param event the event
 */
public record EventStart(Name event) implements TermConvertible {
    /** {@code event_start} */
    public static final Atom TAG = Atom.of("event_start");

    public EventStart {
        Objects.requireNonNull(event, "event");
    }

    @Override
    public Object toTerm() {
        return Tuple.of(TAG, event);
    }
}
