package io.ergon.events;

import io.ergon.node.Name;
import io.ergon.term.Atom;
import io.ergon.term.ErlangException;
import io.ergon.term.Tuple;

/**
 * A refused event operation. {@link #reason()} is {@code {Why, {Name, Node}}}, with {@code Why} one of
 * {@code already_registered} (the name is taken on that node), {@code unknown_event} (no such event, or no events
 * at all on that node), {@code not_owner} (only the process that registered an event publishes to it or
 * unregisters it), {@code unregistered} (the token's event has ended: unregistered, or its producer exited),
 * {@code already_subscribed}, or {@code noconnection} (the event's node cannot be reached).
 */
public final class EventException extends ErlangException {
    private static final long serialVersionUID = 1L;

    /** {@code already_registered} */
    public static final Atom ALREADY_REGISTERED = Atom.of("already_registered");
    /** {@code unknown_event} */
    public static final Atom UNKNOWN_EVENT = Atom.of("unknown_event");
    /** {@code not_owner} */
    public static final Atom NOT_OWNER = Atom.of("not_owner");
    /** {@code unregistered} */
    public static final Atom UNREGISTERED = Atom.of("unregistered");
    /** {@code already_subscribed} */
    public static final Atom ALREADY_SUBSCRIBED = Atom.of("already_subscribed");
    /** {@code noconnection} */
    public static final Atom NOCONNECTION = Atom.of("noconnection");

    private final transient Name event;

    /** A refusal {@code {why, event}}; {@code message} says what was refused and why, for people. */
    public EventException(Atom why, Name event, String message) {
        super(Tuple.of(why, event), message, null);
        this.event = event;
    }

    /** The {@code Why} of the reason: {@link #UNKNOWN_EVENT}, {@link #NOT_OWNER}, ... */
    public Atom why() {
        return (Atom) ((Tuple) reason()).get(0);
    }

    /** The event the operation was about. */
    public Name event() {
        return event;
    }
}
