package io.ergon.events;

import io.ergon.node.Name;
import io.ergon.term.Atom;
import io.ergon.term.TermConvertible;
import io.ergon.term.Tuple;
import java.util.Objects;

/**
 * The producer of an event the receiver subscribed to went away, as a monitor's {@code DOWN} says a process did:
 * it arrives once, after every event that producer published to the receiver, and the subscription is over. An
 * Erlang peer would see {@code {event_down, {Name, Node}, Reason}}.
 *
 * @param event the event: its name and the producer's node
 * @param reason the producer's exit reason; {@link #UNREGISTERED} if it unregistered the event;
 *     {@code noconnection} if the producer's node became unreachable; {@code shutdown} or another reason if the
 *     relay of the producer's node stopped
 */
public record EventDown(Name event, Object reason) implements TermConvertible {
    /** {@code event_down} */
    public static final Atom TAG = Atom.of("event_down");
    /** {@code unregistered}: the reason when the producer unregistered the event. */
    public static final Atom UNREGISTERED = Atom.of("unregistered");

    public EventDown {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(reason, "reason");
    }

    /** The event's name, without its node. */
    public String name() {
        return event.name().name();
    }

    @Override
    public Object toTerm() {
        return Tuple.of(TAG, event, reason);
    }
}
