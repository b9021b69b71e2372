package io.ergon.events;

import io.ergon.node.Name;
import io.ergon.term.Pid;

/**
 * What {@link Events#register} gives the producer, and what it publishes and unregisters with (Ergo's event token).
 * Only the registering process may use it ({@link EventException} {@code not_owner} for any other): the subscribers'
 * order is that one process's order. A token outlives its event, and is then refused with {@code unregistered}. Two
 * tokens are equal only if they are the same registration.
 */
public final class EventToken {
    private final Entry entry;

    EventToken(Entry entry) {
        this.entry = entry;
    }

    /** The event: its name and this node. */
    public Name event() {
        return entry.name;
    }

    /** The producer: the process that registered the event. */
    public Pid owner() {
        return entry.owner;
    }

    /** True while the event is registered (false once unregistered or its producer exited). */
    public boolean isRegistered() {
        return entry.isOpen();
    }

    Entry entry() {
        return entry;
    }

    @Override
    public String toString() {
        return "EventToken[" + entry.name + " by " + entry.owner + "]";
    }
}
