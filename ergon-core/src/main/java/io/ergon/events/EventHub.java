package io.ergon.events;

import io.ergon.node.Node;
import io.ergon.node.SpawnException;
import io.ergon.node.SpawnOptions;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A node's events: the registered ones by name, and the node's relay process ({@value #RELAY}), started on first use.
 * The map is written by the relay only (register, unregister, a producer's exit) and read by anyone.
 */
final class EventHub {
    /** The relay's registered name, the same on every node: other nodes' relays find it by {@code {Name, Node}}. */
    static final String RELAY = "ergon_events";

    final Node node;
    final ConcurrentHashMap<Atom, Entry> events = new ConcurrentHashMap<>();
    /** This node's subscriptions to other nodes' events, by node: the relay's, kept here for the one after it. */
    final ConcurrentHashMap<Atom, Relay.NodeLink> remote = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile Pid relay;

    /** Events that arrived from producers on other nodes: one per event and node, however many subscribers. */
    final LongAdder remoteIn = new LongAdder();
    /** What the relay handed out of those to this node's subscribers. */
    final LongAdder remoteDelivered = new LongAdder();

    private EventHub(Node node) {
        this.node = node;
    }

    static EventHub of(Node node) {
        return node.extension(EventHub.class, EventHub::new);
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    /**
     * The relay, started if it is not running. Two threads may race to start it: the loser's spawn fails on the
     * registered name, and it takes the winner's. No lock is held across the spawn (a spawn may yield the thread).
     */
    Pid relay() {
        Pid r = relay;
        if (r != null && node.isAlive(r)) {
            return r;
        }
        try {
            r = node.spawn(() -> new Relay(this), SpawnOptions.none().register(RELAY));
        } catch (SpawnException | IllegalArgumentException taken) {
            r = node.whereis(RELAY);
            if (r == null) {
                throw taken;
            }
        }
        relay = r;
        return r;
    }
}
