package io.ergon.events;

import io.ergon.gen.GenServer;
import io.ergon.node.Down;
import io.ergon.node.Exit;
import io.ergon.node.From;
import io.ergon.node.Name;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A node's event relay, registered as {@value EventHub#RELAY}: the one process that changes who subscribes to what.
 * It registers and ends events, adds and removes subscribers, and watches everyone involved with monitors: a
 * producer that exits ends its events (each subscriber gets an {@link EventDown} with the exit reason), a subscriber
 * that exits is dropped, and another node's relay that goes away (or whose connection drops) is dropped too. It
 * never calls anyone, so no request to it waits for another process.
 *
 * <p><b>Across nodes</b> it is both ends of a subscription. On the subscriber's node it subscribes once per event
 * for all of its node's subscribers, gets each event once, and hands it out to them (with a copy of the buffer for
 * those who join later); it monitors the producer's relay, so a lost connection ends those subscriptions with
 * {@code noconnection}. On the producer's node it is the remote relay's subscription: the producer sends each event
 * to that relay directly (one message per node), and the relay forwards the event's end. The messages between relays
 * are tuples tagged {@code '$ergon_event…'}:
 * <ul>
 *   <li>{@code {'$ergon_event_subscribe', Name, Relay, Ref}} to {@code {ergon_events, Node}}, answered with
 *       {@code {'$ergon_event_subscribed', Ref, Node, Name, ok, Id, LastSeq, Capacity, Buffer}} or
 *       {@code {…, Ref, Node, Name, error, Why}};</li>
 *   <li>{@code {'$ergon_event', Node, Name, Id, Seq, Message}} from the producer, for each event;</li>
 *   <li>{@code {'$ergon_event_down', Node, Name, Id, Reason}} when the event ends;</li>
 *   <li>{@code {'$ergon_event_unsubscribe', Name, Relay, Id}} when the last subscriber of a node leaves (Id 0 while
 *       the subscription is still being answered).</li>
 * </ul>
 * {@code Id} tells two registrations of one name apart, and {@code Seq} numbers one registration's events: the
 * producer's events and the relay's answer travel from two processes, so an event may overtake the answer to a
 * subscription; the subscribing relay holds such events back and keeps those after the answer's {@code LastSeq}.
 *
 * <p>If the relay is killed, the next operation starts a new one, which takes over this node's registered events and
 * their subscribers (watching them anew) and ends this node's subscriptions to other nodes' events with an
 * {@link EventDown} whose reason is {@code relay_restarted}.
 */
final class Relay extends GenServer {
    static final Atom EVENT = Atom.of("$ergon_event");
    static final Atom SUBSCRIBE = Atom.of("$ergon_event_subscribe");
    static final Atom SUBSCRIBED = Atom.of("$ergon_event_subscribed");
    static final Atom UNSUBSCRIBE = Atom.of("$ergon_event_unsubscribe");
    static final Atom DOWN = Atom.of("$ergon_event_down");
    static final Atom RELAY_NAME = Atom.of(EventHub.RELAY);
    static final Atom OK = Atom.of("ok");
    static final Atom ERROR = Atom.of("error");
    static final Atom RELAY_RESTARTED = Atom.of("relay_restarted");
    private static final Atom UNENCODABLE = Atom.of("unencodable");
    private static final Atom UNKNOWN_REQUEST = Atom.of("unknown_request");

    // ------------------------------------------------------------------ requests from this node's processes

    /** From the producer: register {@code name}; answered with the {@link EventToken} or a {@link Failure}. */
    record Register(Atom name, EventOptions options) {
    }

    /** From the producer: end its event; answered {@code ok} or a {@link Failure}. */
    record Unregister(Entry entry) {
    }

    /** From a subscriber: answered with the buffered {@link Event}s or a {@link Failure}. */
    record Subscribe(Name event) {
    }

    /** From a subscriber: answered true if it was subscribed. */
    record Unsubscribe(Name event) {
    }

    /** A refusal, turned into an {@link EventException} on the caller's side. */
    record Failure(Atom why, Name event, String message) {
    }

    // ------------------------------------------------------------------ state

    /** One monitored process and what it is monitored for. */
    private static final class Watch {
        Ref ref;
        final Set<Object> keys = new HashSet<>();
    }

    @FunctionalInterface
    private interface Gone {
        void down(Pid pid, Object key, Object reason);
    }

    /** This node's subscription to another node's events (kept in the hub, so that a new relay can end them). */
    static final class NodeLink {
        Ref ref;
        final Map<Atom, RemoteSub> subs = new HashMap<>();
    }

    /** This node's subscription to one event of another node, on behalf of its subscribers here. */
    static final class RemoteSub {
        final Name event;
        final Ref request;
        boolean active;
        long id;
        long lastSeq;
        int capacity;
        final ArrayDeque<Object> mirror = new ArrayDeque<>();
        final Set<Pid> subscribers = new LinkedHashSet<>();
        /** Subscribers whose subscription waits for the producer's relay to answer. */
        final List<From> waiting = new ArrayList<>();
        /** Events that overtook that answer. */
        final List<Tuple> early = new ArrayList<>();

        RemoteSub(Name event, Ref request) {
            this.event = event;
            this.request = request;
        }
    }

    private final EventHub hub;
    private final Map<Ref, Consumer<Object>> monitors = new HashMap<>();
    /** Producers, watched for the events they registered. */
    private final Map<Pid, Watch> owners = new HashMap<>();
    /** This node's subscribers, watched for what they follow: an {@link Entry} here, a {@link Name} elsewhere. */
    private final Map<Pid, Watch> subscribers = new HashMap<>();
    /** Other nodes' relays, watched for the events of this node they follow. */
    private final Map<Pid, Watch> peers = new HashMap<>();

    Relay(EventHub hub) {
        this.hub = hub;
    }

    @Override
    protected void init() {
        trapExit(true); // only kill ends it; a stray exit signal is a message
        for (Entry e : hub.events.values()) { // a relay that takes over from a killed one
            watch(owners, e.owner, e, this::ownerDown);
            Entry.Subscribers s = e.subscribers();
            for (Pid p : s.locals()) {
                watch(subscribers, p, e, this::subscriberDown);
            }
            for (Pid r : s.remotes()) {
                watch(peers, r, e, this::peerDown);
            }
        }
        for (NodeLink link : hub.remote.values()) {
            for (RemoteSub rs : link.subs.values()) {
                for (Pid p : rs.subscribers) {
                    send(p, new EventDown(rs.event, RELAY_RESTARTED));
                }
            }
        }
        hub.remote.clear();
    }

    @Override
    protected Object handleCall(Object request, From from) {
        return switch (request) {
            case Register(Atom name, EventOptions options) -> register(from.pid(), name, options);
            case Unregister(Entry e) -> unregister(from.pid(), e);
            case Subscribe(Name event) when event.node().equals(node().name()) -> subscribeLocal(from.pid(), event);
            case Subscribe(Name event) -> subscribeRemote(from, event);
            case Unsubscribe(Name event) when event.node().equals(node().name()) ->
                    unsubscribeLocal(from.pid(), event);
            case Unsubscribe(Name event) -> unsubscribeRemote(from.pid(), event);
            default -> Tuple.of(ERROR, Tuple.of(UNKNOWN_REQUEST, request)); // a stray call (from Erlang?) ends nothing
        };
    }

    @Override
    protected void handleInfo(Object message) {
        switch (message) {
            case Down down -> {
                Consumer<Object> gone = monitors.remove(down.ref());
                if (gone != null) {
                    gone.accept(down.reason());
                }
            }
            case Exit exit -> {
            }
            case Tuple t when t.size() > 0 && t.get(0) instanceof Atom tag -> wire(tag, t);
            default -> log().debug("the event relay dropped {}", message);
        }
    }

    // ------------------------------------------------------------------ events of this node

    private Object register(Pid owner, Atom name, EventOptions options) {
        Name event = new Name(name, node().name());
        Entry existing = hub.events.get(name);
        if (existing != null) {
            return new Failure(EventException.ALREADY_REGISTERED, event, "the event " + event
                    + " is already registered, by " + existing.owner);
        }
        Entry e = new Entry(event, owner, hub.nextId(), options);
        hub.events.put(name, e);
        watch(owners, owner, e, this::ownerDown);
        return e.token;
    }

    private Object unregister(Pid caller, Entry e) {
        if (!caller.equals(e.owner)) {
            return new Failure(EventException.NOT_OWNER, e.name, "only the producer " + e.owner
                    + " may unregister " + e.name + ", not " + caller);
        }
        if (!e.isOpen()) {
            return new Failure(EventException.UNREGISTERED, e.name, "the event " + e.name + " has ended already");
        }
        end(e, EventDown.UNREGISTERED);
        return OK;
    }

    private void ownerDown(Pid owner, Object key, Object reason) {
        end((Entry) key, reason);
    }

    /**
     * Ends an event: every subscriber here gets an {@link EventDown}, every relay elsewhere the wire's down. They come
     * after every event of the producer: its sends were made before its exit (or its unregister call), and a local
     * send is in the mailbox when it returns, a remote one queued on the one connection this send goes on too.
     */
    private void end(Entry e, Object reason) {
        Entry.Subscribers s = e.close();
        if (s == null) {
            return;
        }
        hub.events.remove(e.name.name(), e);
        unwatch(owners, e.owner, e);
        if (s.locals().length > 0) {
            EventDown down = new EventDown(e.name, reason);
            for (Pid p : s.locals()) {
                send(p, down);
                unwatch(subscribers, p, e);
            }
        }
        for (Pid r : s.remotes()) {
            Tuple down = Tuple.of(DOWN, e.name.node(), e.name.name(), e.id, reason);
            try {
                send(r, down);
            } catch (IllegalArgumentException unencodable) {
                send(r, Tuple.of(DOWN, e.name.node(), e.name.name(), e.id,
                        Tuple.of(UNENCODABLE, Atom.of(reason.getClass().getName()))));
            }
            unwatch(peers, r, e);
        }
    }

    private Object subscribeLocal(Pid who, Name event) {
        Entry e = hub.events.get(event.name());
        if (e != null && e.hasLocal(who)) {
            return new Failure(EventException.ALREADY_SUBSCRIBED, event, who + " already subscribes to " + event);
        }
        Entry.Added added = e == null ? null : e.addLocal(who);
        if (added == null) {
            return unknown(event);
        }
        watch(subscribers, who, e, this::subscriberDown);
        if (added.first() && e.notify) {
            send(e.owner, new EventStart(e.name));
        }
        return events(event, added.buffered());
    }

    private Object unsubscribeLocal(Pid who, Name event) {
        Entry e = hub.events.get(event.name());
        if (e == null) {
            return false;
        }
        Entry.Removed r = e.removeLocal(who);
        if (r == Entry.Removed.ABSENT) {
            return false;
        }
        unwatch(subscribers, who, e);
        stopped(e, r);
        return true;
    }

    private void subscriberDown(Pid who, Object key, Object reason) {
        if (key instanceof Entry e) {
            stopped(e, e.removeLocal(who));
        } else if (key instanceof Name event) {
            leaveRemote(who, event);
        }
    }

    private void peerDown(Pid relay, Object key, Object reason) {
        Entry e = (Entry) key;
        stopped(e, e.removeRemote(relay));
    }

    private void stopped(Entry e, Entry.Removed r) {
        if (r == Entry.Removed.LAST && e.notify) {
            send(e.owner, new EventStop(e.name));
        }
    }

    // ------------------------------------------------------------------ events of other nodes

    private Object subscribeRemote(From from, Name event) {
        Pid who = from.pid();
        NodeLink link = hub.remote.get(event.node());
        RemoteSub rs = link == null ? null : link.subs.get(event.name());
        if (rs != null && (rs.subscribers.contains(who) || rs.waiting.stream().anyMatch(f -> f.pid().equals(who)))) {
            return new Failure(EventException.ALREADY_SUBSCRIBED, event, who + " already subscribes to " + event);
        }
        if (link == null) {
            NodeLink fresh = new NodeLink();
            fresh.ref = monitor(new Name(RELAY_NAME, event.node()));
            monitors.put(fresh.ref, reason -> nodeDown(event.node(), fresh, reason));
            hub.remote.put(event.node(), fresh);
            link = fresh;
        }
        if (rs == null) {
            rs = new RemoteSub(event, makeRef());
            link.subs.put(event.name(), rs);
            send(new Name(RELAY_NAME, event.node()), Tuple.of(SUBSCRIBE, event.name(), self(), rs.request));
        }
        watch(subscribers, who, event, this::subscriberDown);
        if (!rs.active) {
            rs.waiting.add(from);
            return noReply();
        }
        rs.subscribers.add(who);
        return events(event, List.copyOf(rs.mirror));
    }

    private Object unsubscribeRemote(Pid who, Name event) {
        NodeLink link = hub.remote.get(event.node());
        RemoteSub rs = link == null ? null : link.subs.get(event.name());
        if (rs == null || !(rs.subscribers.contains(who) || rs.waiting.stream().anyMatch(f -> f.pid().equals(who)))) {
            return false;
        }
        unwatch(subscribers, who, event);
        leaveRemote(who, event);
        return true;
    }

    /** A subscriber here left a remote event; the last one to leave ends this node's subscription there. */
    private void leaveRemote(Pid who, Name event) {
        NodeLink link = hub.remote.get(event.node());
        RemoteSub rs = link == null ? null : link.subs.get(event.name());
        if (rs == null) {
            return;
        }
        rs.subscribers.remove(who);
        rs.waiting.removeIf(f -> f.pid().equals(who));
        if (rs.subscribers.isEmpty() && rs.waiting.isEmpty()) {
            link.subs.remove(event.name());
            send(new Name(RELAY_NAME, event.node()),
                    Tuple.of(UNSUBSCRIBE, event.name(), self(), rs.active ? rs.id : 0L));
            dropIfEmpty(event.node(), link);
        }
    }

    private void dropIfEmpty(Atom node, NodeLink link) {
        if (link.subs.isEmpty() && hub.remote.get(node) == link) {
            hub.remote.remove(node);
            demonitor(link.ref);
            monitors.remove(link.ref);
        }
    }

    /** The producer's relay went away, or the connection to its node: every subscription to that node ends. */
    private void nodeDown(Atom node, NodeLink link, Object reason) {
        if (!hub.remote.remove(node, link)) {
            return;
        }
        boolean unreachable = Reasons.NOCONNECTION.equals(reason);
        for (RemoteSub rs : link.subs.values()) {
            for (From f : rs.waiting) {
                f.reply(unreachable
                        ? new Failure(EventException.NOCONNECTION, rs.event, "cannot reach " + node + " for "
                        + rs.event)
                        : Reasons.NOPROC.equals(reason) ? unknown(rs.event)
                        : new Failure(EventException.UNKNOWN_EVENT, rs.event, "the event relay of " + node
                        + " went away: " + reason));
                unwatch(subscribers, f.pid(), rs.event);
            }
            EventDown down = new EventDown(rs.event, reason);
            for (Pid p : rs.subscribers) {
                send(p, down);
                unwatch(subscribers, p, rs.event);
            }
        }
    }

    // ------------------------------------------------------------------ between relays

    private void wire(Atom tag, Tuple t) {
        if (tag == EVENT && t.size() == 6 && t.get(1) instanceof Atom node && t.get(2) instanceof Atom name) {
            hub.remoteIn.increment();
            RemoteSub rs = remoteSub(node, name);
            if (rs != null) {
                if (rs.active) {
                    deliver(rs, t);
                } else {
                    rs.early.add(t);
                }
            }
        } else if (tag == SUBSCRIBE && t.size() == 4 && t.get(1) instanceof Atom name && t.get(2) instanceof Pid relay
                && t.get(3) instanceof Ref ref) {
            peerSubscribes(name, relay, ref);
        } else if (tag == SUBSCRIBED && t.size() >= 6 && t.get(1) instanceof Ref ref && t.get(2) instanceof Atom node
                && t.get(3) instanceof Atom name) {
            subscribed(ref, node, name, t);
        } else if (tag == UNSUBSCRIBE && t.size() == 4 && t.get(1) instanceof Atom name
                && t.get(2) instanceof Pid relay) {
            Entry e = hub.events.get(name);
            long id = number(t.get(3));
            if (e != null && (id == 0 || id == e.id)) {
                Entry.Removed r = e.removeRemote(relay);
                if (r != Entry.Removed.ABSENT) {
                    unwatch(peers, relay, e);
                    stopped(e, r);
                }
            }
        } else if (tag == DOWN && t.size() == 5 && t.get(1) instanceof Atom node && t.get(2) instanceof Atom name) {
            RemoteSub rs = remoteSub(node, name);
            if (rs != null && rs.active && rs.id == number(t.get(3))) {
                NodeLink link = hub.remote.get(node);
                link.subs.remove(name);
                EventDown down = new EventDown(rs.event, t.get(4));
                for (Pid p : rs.subscribers) {
                    send(p, down);
                    unwatch(subscribers, p, rs.event);
                }
                dropIfEmpty(node, link);
            }
        } else {
            log().debug("the event relay dropped {}", t);
        }
    }

    /** Another node's relay subscribes to an event of this node, for its node's subscribers. */
    private void peerSubscribes(Atom name, Pid relay, Ref ref) {
        Atom here = node().name();
        Entry e = hub.events.get(name);
        Entry.Added added = e == null ? null : e.addRemote(relay);
        if (added == null) {
            send(relay, Tuple.of(SUBSCRIBED, ref, here, name, ERROR, EventException.UNKNOWN_EVENT));
            return;
        }
        watch(peers, relay, e, this::peerDown);
        if (added.first() && e.notify) {
            send(e.owner, new EventStart(e.name));
        }
        try {
            send(relay, Tuple.of(SUBSCRIBED, ref, here, name, OK, e.id, added.lastSeq(), (long) e.capacity,
                    added.buffered()));
        } catch (IllegalArgumentException unencodable) { // a buffered event that cannot cross: none were published
            log().warn("the buffer of {} cannot go to {}: {}", e.name, relay.node(), unencodable.getMessage());
            send(relay, Tuple.of(SUBSCRIBED, ref, here, name, OK, e.id, added.lastSeq(), (long) e.capacity,
                    List.of()));
        }
    }

    /** The producer's relay answered this node's subscription. */
    private void subscribed(Ref ref, Atom node, Atom name, Tuple t) {
        NodeLink link = hub.remote.get(node);
        RemoteSub rs = remoteSub(node, name);
        if (rs == null || rs.active || !rs.request.equals(ref)) {
            return; // an answer for a subscription that has ended since
        }
        if (t.get(4) != OK || t.size() != 9) {
            link.subs.remove(name);
            Failure refused = t.get(5) == EventException.UNKNOWN_EVENT ? unknown(rs.event)
                    : new Failure(EventException.UNKNOWN_EVENT, rs.event, node + " refused " + rs.event + ": "
                    + t.get(5));
            for (From f : rs.waiting) {
                f.reply(refused);
                unwatch(subscribers, f.pid(), rs.event);
            }
            dropIfEmpty(node, link);
            return;
        }
        rs.active = true;
        rs.id = number(t.get(5));
        rs.lastSeq = number(t.get(6));
        rs.capacity = (int) number(t.get(7));
        if (t.get(8) instanceof List<?> buffered) {
            for (Object m : buffered) {
                remember(rs, m);
            }
        }
        List<Event> replay = events(rs.event, List.copyOf(rs.mirror));
        for (From f : rs.waiting) {
            rs.subscribers.add(f.pid());
            f.reply(replay);
        }
        rs.waiting.clear();
        for (Tuple early : rs.early) {
            deliver(rs, early);
        }
        rs.early.clear();
    }

    /** Hands an event from another node to this node's subscribers: once, in order, none from before the answer. */
    private void deliver(RemoteSub rs, Tuple t) {
        long seq = number(t.get(4));
        if (number(t.get(3)) != rs.id || seq <= rs.lastSeq) {
            return;
        }
        rs.lastSeq = seq;
        Object message = t.get(5);
        remember(rs, message);
        Event event = new Event(rs.event, message);
        for (Pid p : rs.subscribers) {
            send(p, event);
        }
        hub.remoteDelivered.add(rs.subscribers.size());
    }

    private static void remember(RemoteSub rs, Object message) {
        if (rs.capacity > 0) {
            if (rs.mirror.size() == rs.capacity) {
                rs.mirror.removeFirst();
            }
            rs.mirror.addLast(message);
        }
    }

    private RemoteSub remoteSub(Atom node, Atom name) {
        NodeLink link = hub.remote.get(node);
        return link == null ? null : link.subs.get(name);
    }

    // ------------------------------------------------------------------ monitors

    private void watch(Map<Pid, Watch> map, Pid pid, Object key, Gone gone) {
        Watch w = map.get(pid);
        if (w == null) {
            Watch fresh = new Watch();
            fresh.ref = monitor(pid);
            map.put(pid, fresh);
            monitors.put(fresh.ref, reason -> {
                map.remove(pid, fresh);
                for (Object k : List.copyOf(fresh.keys)) {
                    gone.down(pid, k, reason);
                }
            });
            w = fresh;
        }
        w.keys.add(key);
    }

    private void unwatch(Map<Pid, Watch> map, Pid pid, Object key) {
        Watch w = map.get(pid);
        if (w != null && w.keys.remove(key) && w.keys.isEmpty()) {
            map.remove(pid);
            demonitor(w.ref);
            monitors.remove(w.ref);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Failure unknown(Name event) {
        return new Failure(EventException.UNKNOWN_EVENT, event, "no event " + event.name() + " is registered on "
                + event.node());
    }

    private static List<Event> events(Name event, List<Object> messages) {
        List<Event> out = new ArrayList<>(messages.size());
        for (Object m : messages) {
            out.add(new Event(event, m));
        }
        return out;
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : -1;
    }

    @Override
    protected Object systemState() {
        return Tuple.of(Atom.of("events"), (long) hub.events.size(), Atom.of("subscribers"),
                (long) subscribers.size(), Atom.of("peers"), (long) peers.size(), Atom.of("remote_nodes"),
                (long) hub.remote.size());
    }
}
