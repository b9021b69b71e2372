package io.ergon.events;

import io.ergon.node.Name;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.util.List;

/**
 * A snapshot of a registered event on its producer's node ({@link Events#info}).
 *
 * @param event the event
 * @param producer the process that registered it
 * @param subscribers its subscribers on this node
 * @param nodes the other nodes with subscribers (each gets one message per event, which its relay hands out)
 * @param published how many events the producer has published
 * @param buffered how many events the buffer holds for new subscribers now
 */
public record EventInfo(Name event, Pid producer, List<Pid> subscribers, List<Atom> nodes, long published,
                        int buffered) {
    public EventInfo {
        subscribers = List.copyOf(subscribers);
        nodes = List.copyOf(nodes);
    }

    /** The subscribers the producer sees: this node's processes, and one per other node. */
    public int subscriberCount() {
        return subscribers.size() + nodes.size();
    }
}
