package io.ergon.events;

import io.ergon.node.CallTimeoutException;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.term.Atom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Events (Ergo's {@code RegisterEvent}/{@code SendEvent}/{@code MonitorEvent}, Pekko's {@code EventStream}): a
 * producer process registers a named event and publishes to it; any process on this node or another subscribes.
 *
 * <pre>{@code
 * EventToken prices = Events.register(context(), "prices", EventOptions.defaults().buffer(1));   // the producer
 * Events.publish(context(), prices, new Price("ACME", 42));
 *
 * List<Event> latest = Events.subscribe(context(), "prices");                      // a subscriber on this node
 * List<Event> there = Events.subscribe(context(), Name.of("prices", "ticker@host"));   // ... or on another
 * // then Event(event, message) messages, in the producer's order, and one EventDown when the producer goes away
 * }</pre>
 *
 * <p><b>The contract.</b>
 * <ul>
 *   <li>An event's name is unique on its node; only the registering process may publish to it or unregister it
 *       (its {@link EventToken} is refused to any other with {@code not_owner}).</li>
 *   <li>Every subscriber gets every event published after its subscription, once, in the order published, as an
 *       {@link Event} message; with a {@linkplain EventOptions#buffer(int) buffer}, {@code subscribe} returns the
 *       latest events published before it, oldest first, with no gap and no overlap with the messages that follow.</li>
 *   <li>When the producer exits or unregisters, every subscriber gets one {@link EventDown} (the exit reason, or
 *       {@code unregistered}) after its last event, and the subscription is over. A subscriber on another node gets
 *       {@code noconnection} instead if the connection to the producer's node drops.</li>
 *   <li>Subscribers are monitored: one that exits is dropped. {@link EventInfo} shows who subscribes.</li>
 *   <li>Across nodes, the subscriber's node subscribes once for all its subscribers: the producer sends each event
 *       to that node's relay process ({@code ergon_events}) once, and the relay hands it out there.</li>
 *   <li>After {@link #unsubscribe}, events already on their way (in the mailbox, or sent a moment before) may still
 *       arrive, as messages from a demonitored process may.</li>
 * </ul>
 * A publish never waits for subscribers: it is one send to each subscriber on this node and one to each other node
 * with subscribers, made from the producer's process. Registering, subscribing and unsubscribing are calls to the
 * node's relay (waiting up to 15 s; across nodes, until the producer's node answers).
 *
 * <p>Messages are passed by reference on one node and encoded for others: publish immutable values, and register
 * record types on both nodes to get them back typed (docs/TERMS.md). Null is refused.
 */
public final class Events {
    /** How long a request to the node's relay waits; it answers at once, unless another node has to answer first. */
    static final Duration RELAY_TIMEOUT = Duration.ofSeconds(15);

    private Events() {
    }

    // ------------------------------------------------------------------ producers

    /** {@link #register(ProcessContext, String, EventOptions)} without buffer or notifications. */
    public static EventToken register(ProcessContext producer, String name) {
        return register(producer, name, EventOptions.defaults());
    }

    /**
     * Registers the event {@code name} on the producer's node, with the producer as its owner until it unregisters
     * it or exits.
     *
     * @return the token to publish with
     * @throws EventException {@code already_registered} if the name is taken on this node
     */
    public static EventToken register(ProcessContext producer, String name, EventOptions options) {
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        Object answer = producer.call(EventHub.of(producer.node()).relay(),
                new Relay.Register(Atom.of(name), options), RELAY_TIMEOUT);
        return (EventToken) answer(answer);
    }

    /**
     * Publishes {@code message} to every subscriber of the token's event. Never waits for a subscriber.
     *
     * @throws EventException {@code not_owner} if {@code producer} did not register the event; {@code unregistered}
     *     if the event has ended
     * @throws IllegalArgumentException if another node subscribes and the message cannot be encoded for it; then no
     *     subscriber gets it
     */
    public static void publish(ProcessContext producer, EventToken token, Object message) {
        Objects.requireNonNull(message, "an event's message is a term, not null");
        Entry e = owned(producer, token, "publish to");
        if (!e.publish(producer, message, Relay.EVENT)) {
            throw ended(e);
        }
    }

    /**
     * Ends the token's event: every subscriber gets an {@link EventDown} with reason {@code unregistered}, after
     * every event published before, and the name is free again.
     *
     * @throws EventException {@code not_owner} if {@code producer} did not register it; {@code unregistered} if it has
     *     ended already
     */
    public static void unregister(ProcessContext producer, EventToken token) {
        Entry e = owned(producer, token, "unregister");
        answer(producer.call(EventHub.of(producer.node()).relay(), new Relay.Unregister(e), RELAY_TIMEOUT));
    }

    // ------------------------------------------------------------------ subscribers

    /** Subscribes to the event {@code name} of the subscriber's own node: {@link #subscribe(ProcessContext, Name)}. */
    public static List<Event> subscribe(ProcessContext subscriber, String name) {
        Objects.requireNonNull(subscriber, "subscriber");
        return subscribe(subscriber, new Name(Atom.of(name), subscriber.node().name()));
    }

    /**
     * Subscribes to an event of any node ({@code Name.of("prices", "ticker@host")}; this node's own name for a local
     * one). From now on the subscriber gets each event as an {@link Event} message, and an {@link EventDown} when it
     * ends.
     *
     * @return the buffered events, oldest first (empty without a buffer): those published before this subscription
     * @throws EventException {@code unknown_event} if no such event is registered there; {@code already_subscribed};
     *     {@code noconnection} if the event's node cannot be reached
     * @throws IllegalStateException if the event is on another node and this node is not distributed
     */
    public static List<Event> subscribe(ProcessContext subscriber, Name event) {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(event, "event");
        Node node = subscriber.node();
        boolean remote = !event.node().equals(node.name());
        if (remote && !node.isDistributed()) {
            throw new IllegalStateException("cannot subscribe to " + event + ": node " + node.name()
                    + " is not distributed");
        }
        Object answer;
        try {
            answer = subscriber.call(EventHub.of(node).relay(), new Relay.Subscribe(event), RELAY_TIMEOUT);
        } catch (CallTimeoutException e) {
            if (remote) { // its node did not answer in time: take the pending subscription back
                unsubscribe(subscriber, event);
            }
            throw e;
        }
        List<?> buffered = (List<?>) answer(answer);
        List<Event> out = new ArrayList<>(buffered.size());
        for (Object o : buffered) {
            out.add((Event) o);
        }
        return List.copyOf(out);
    }

    /** Unsubscribes from an event of the subscriber's own node. @return false if it did not subscribe */
    public static boolean unsubscribe(ProcessContext subscriber, String name) {
        Objects.requireNonNull(subscriber, "subscriber");
        return unsubscribe(subscriber, new Name(Atom.of(name), subscriber.node().name()));
    }

    /**
     * Ends a subscription; events already on their way may still arrive. When the last subscriber of a node leaves,
     * that node's subscription at the producer ends too.
     *
     * @return false if the subscriber did not subscribe to it
     */
    public static boolean unsubscribe(ProcessContext subscriber, Name event) {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(event, "event");
        Object answer = subscriber.call(EventHub.of(subscriber.node()).relay(), new Relay.Unsubscribe(event),
                RELAY_TIMEOUT);
        return (Boolean) answer(answer);
    }

    // ------------------------------------------------------------------ introspection

    /** The event {@code name} of {@code node} as it is now, or empty if it is not registered. */
    public static Optional<EventInfo> info(Node node, String name) {
        Entry e = EventHub.of(node).events.get(Atom.of(name));
        return e == null ? Optional.empty() : Optional.of(e.info());
    }

    /** The events registered on {@code node} now, by name. */
    public static List<String> registered(Node node) {
        return EventHub.of(node).events.keySet().stream().map(Atom::name).sorted().toList();
    }

    // ------------------------------------------------------------------ helpers

    private static Entry owned(ProcessContext producer, EventToken token, String what) {
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(token, "token");
        Entry e = token.entry();
        if (!producer.self().equals(e.owner)) {
            throw new EventException(EventException.NOT_OWNER, e.name, "only the producer " + e.owner + " may "
                    + what + " " + e.name + ", not " + producer.self());
        }
        return e;
    }

    private static EventException ended(Entry e) {
        return new EventException(EventException.UNREGISTERED, e.name, "the event " + e.name
                + " has ended (unregistered, or its producer exited)");
    }

    private static Object answer(Object answer) {
        if (answer instanceof Relay.Failure(Atom why, Name event, String message)) {
            throw new EventException(why, event, message);
        }
        return answer;
    }
}
