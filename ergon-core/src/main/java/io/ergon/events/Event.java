package io.ergon.events;

import io.ergon.node.Name;
import io.ergon.term.Atom;
import io.ergon.term.TermConvertible;
import io.ergon.term.Tuple;
import java.util.Objects;

/**
 * One published event, as a subscriber receives it: the message its producer published to {@code event}.
 * Every subscriber gets the events of one producer in the order they were published, and an {@link EventDown}
 * after the last of them when the producer goes away. {@link Events#subscribe} also returns the buffered ones in this
 * shape. An Erlang peer would see {@code {event, {Name, Node}, Message}}.
 *
 * @param event the event: its name and the producer's node
 * @param message what the producer published (on another node than the producer's, as it crossed the wire: a
 *     {@code String} arrives as a binary unless inside a registered record, see docs/TERMS.md)
 */
public record Event(Name event, Object message) implements TermConvertible {
    /** {@code event} */
    public static final Atom TAG = Atom.of("event");

    public Event {
        Objects.requireNonNull(event, "event");
    }

    /** The event's name, without its node: {@code event().name().name()}. */
    public String name() {
        return event.name().name();
    }

    @Override
    public Object toTerm() {
        return Tuple.of(TAG, event, message);
    }
}
