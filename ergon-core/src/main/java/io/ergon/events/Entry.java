package io.ergon.events;

import io.ergon.node.Name;
import io.ergon.node.ProcessContext;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One registered event: its producer, its subscribers and its buffer.
 *
 * <p>Two processes use it: the producer publishes ({@link #publish}) on its own thread, and the node's relay adds and
 * removes subscribers and ends the event. The lock makes the three things a subscription needs happen as one against
 * a publish: the buffer a new subscriber gets holds exactly the events published before it was added, and every
 * later event goes to it. The subscriber arrays are copied on write, so a publish reads them under the lock and sends
 * after it: no lock is held across a send, which may yield the thread to other processes (README, "Scheduling").
 */
final class Entry {
    private static final Pid[] NONE = new Pid[0];

    final Name name;
    final Pid owner;
    /** This registration among all of its node's, so that a relay elsewhere tells two registrations of a name apart. */
    final long id;
    final int capacity;
    final boolean notify;
    final EventToken token;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Object> buffer;
    private Pid[] locals = NONE;
    private Pid[] remotes = NONE;
    private long seq;
    private boolean closed;

    /** What a new subscriber gets: the buffer, oldest first, and the sequence number of the last event in it. */
    record Added(List<Object> buffered, long lastSeq, boolean first) {
    }

    /** An event's subscribers at one moment: this node's, and the other nodes' relays. */
    record Subscribers(Pid[] locals, Pid[] remotes) {
    }

    Entry(Name name, Pid owner, long id, EventOptions options) {
        this.name = name;
        this.owner = owner;
        this.id = id;
        this.capacity = options.buffer();
        this.notify = options.notifyProducer();
        this.buffer = new ArrayDeque<>(Math.min(capacity, 1024));
        this.token = new EventToken(this);
    }

    // ------------------------------------------------------------------ the producer's side

    /**
     * Publishes {@code message}: first to the other nodes' relays (one message each), then to this node's subscribers.
     * A message that cannot be encoded for another node fails at the first relay, before anyone got it, and is taken
     * back out of the buffer.
     *
     * @return false if the event has ended
     * @throws IllegalArgumentException if the message cannot cross to another node that has subscribers
     */
    boolean publish(ProcessContext producer, Object message, Atom wireTag) {
        Pid[] l;
        Pid[] r;
        long s;
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            s = ++seq;
            if (capacity > 0) {
                if (buffer.size() == capacity) {
                    buffer.removeFirst();
                }
                buffer.addLast(message);
            }
            l = locals;
            r = remotes;
        } finally {
            lock.unlock();
        }
        if (r.length > 0) {
            Tuple wire = Tuple.of(wireTag, name.node(), name.name(), id, s, message);
            try {
                for (Pid relay : r) {
                    producer.send(relay, wire);
                }
            } catch (IllegalArgumentException unencodable) {
                takeBack(s);
                throw unencodable;
            }
        }
        if (l.length > 0) {
            Event event = new Event(name, message);
            for (Pid subscriber : l) {
                producer.send(subscriber, event);
            }
        }
        return true;
    }

    private void takeBack(long s) {
        lock.lock();
        try {
            if (seq == s && capacity > 0 && !buffer.isEmpty()) {
                buffer.removeLast();
            }
        } finally {
            lock.unlock();
        }
    }

    boolean isOpen() {
        lock.lock();
        try {
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ the relay's side

    /** Adds a subscriber of this node; null if the event has ended or it subscribed already. */
    Added addLocal(Pid subscriber) {
        lock.lock();
        try {
            if (closed || contains(locals, subscriber)) {
                return null;
            }
            boolean first = locals.length + remotes.length == 0;
            locals = with(locals, subscriber);
            return new Added(List.copyOf(buffer), seq, first);
        } finally {
            lock.unlock();
        }
    }

    /** Adds another node's relay (again, if it asks again); null if the event has ended. */
    Added addRemote(Pid relay) {
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            boolean first = locals.length + remotes.length == 0;
            if (!contains(remotes, relay)) {
                remotes = with(remotes, relay);
            }
            return new Added(List.copyOf(buffer), seq, first);
        } finally {
            lock.unlock();
        }
    }

    boolean hasLocal(Pid subscriber) {
        lock.lock();
        try {
            return contains(locals, subscriber);
        } finally {
            lock.unlock();
        }
    }

    /** What a removal did. */
    enum Removed {
        /** it was not a subscriber */
        ABSENT,
        /** removed; others are left, or the event has ended */
        REMOVED,
        /** removed, and nobody subscribes to the open event now */
        LAST
    }

    /** Removes a subscriber of this node. */
    Removed removeLocal(Pid subscriber) {
        lock.lock();
        try {
            if (!contains(locals, subscriber)) {
                return Removed.ABSENT;
            }
            locals = without(locals, subscriber);
            return !closed && locals.length + remotes.length == 0 ? Removed.LAST : Removed.REMOVED;
        } finally {
            lock.unlock();
        }
    }

    /** Removes another node's relay. */
    Removed removeRemote(Pid relay) {
        lock.lock();
        try {
            if (!contains(remotes, relay)) {
                return Removed.ABSENT;
            }
            remotes = without(remotes, relay);
            return !closed && locals.length + remotes.length == 0 ? Removed.LAST : Removed.REMOVED;
        } finally {
            lock.unlock();
        }
    }

    /** The subscribers now (arrays are never changed in place). */
    Subscribers subscribers() {
        lock.lock();
        try {
            return new Subscribers(locals, remotes);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the event: no publish or subscription succeeds after this.
     *
     * @return the subscribers it had, or null if it had ended already
     */
    Subscribers close() {
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            closed = true;
            Subscribers f = new Subscribers(locals, remotes);
            locals = NONE;
            remotes = NONE;
            buffer.clear();
            return f;
        } finally {
            lock.unlock();
        }
    }

    EventInfo info() {
        lock.lock();
        try {
            List<Atom> nodes = new ArrayList<>(remotes.length);
            for (Pid r : remotes) {
                nodes.add(r.node());
            }
            return new EventInfo(name, owner, Arrays.asList(locals), nodes, seq, buffer.size());
        } finally {
            lock.unlock();
        }
    }

    private static boolean contains(Pid[] pids, Pid pid) {
        for (Pid p : pids) {
            if (p.equals(pid)) {
                return true;
            }
        }
        return false;
    }

    private static Pid[] with(Pid[] pids, Pid pid) {
        Pid[] bigger = Arrays.copyOf(pids, pids.length + 1);
        bigger[pids.length] = pid;
        return bigger;
    }

    private static Pid[] without(Pid[] pids, Pid pid) {
        Pid[] smaller = new Pid[pids.length - 1];
        int i = 0;
        for (Pid p : pids) {
            if (!p.equals(pid)) {
                smaller[i++] = p;
            }
        }
        return smaller;
    }
}
