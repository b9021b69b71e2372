package io.ergon.net.internal;

import io.ergon.node.NodeDown;
import io.ergon.node.NodeUp;
import io.ergon.node.spi.LocalNode;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Node-level monitoring, which Erlang derives from the connections alone: {@code net_kernel:monitor_nodes/1}
 * watchers get a {@link NodeUp} for every connection made and a {@link NodeDown} for every one lost, and each
 * {@code monitor_node(Node, true)} gets one {@link NodeDown} when that node's connection goes (at once if it
 * cannot be made). Watchers of visible connections only ({@link #watchVisible}, what {@code global} uses) get the
 * same for the connections both sides published.
 *
 * <p>Order, as Erlang promises it: a connection's NodeUp is delivered before anything read on it (it is sent before
 * its reader starts), and its NodeDown after its NodeUp, never instead of it or before it (both are decided under
 * one lock, and a connection closed before its NodeUp went out is never announced).
 */
final class NodeMonitors {
    private static final Atom CONNECTION_CLOSED = CloseCause.CLOSED.nodeDownReason();

    private final Distribution dist;
    private final Set<Pid> watchers = ConcurrentHashMap.newKeySet();
    private final Set<Pid> visibleWatchers = ConcurrentHashMap.newKeySet();
    /** The connections whose NodeUp went out, and whose NodeDown is still to go. */
    private final Set<Connection> announced = ConcurrentHashMap.newKeySet();
    private final ReentrantLock order = new ReentrantLock();
    private final ConcurrentHashMap<Atom, Set<Pid>> once = new ConcurrentHashMap<>();

    NodeMonitors(Distribution dist) {
        this.dist = dist;
    }

    /** {@code net_kernel:monitor_nodes(On)} for {@code watcher}. */
    void watch(Pid watcher, boolean on) {
        if (on) {
            watchers.add(watcher);
        } else {
            watchers.remove(watcher);
        }
    }

    /** Like {@link #watch}, for visible connections only ({@code net_kernel:monitor_nodes(true)}'s default). */
    void watchVisible(Pid watcher, boolean on) {
        if (on) {
            visibleWatchers.add(watcher);
        } else {
            visibleWatchers.remove(watcher);
        }
    }

    /** {@code monitor_node(Peer, true)} for {@code watcher}; connects to {@code peer} if not connected. */
    void monitor(Pid watcher, Atom peer) {
        if (peer.equals(dist.name())) {
            return;
        }
        once.computeIfAbsent(peer, p -> ConcurrentHashMap.newKeySet()).add(watcher);
        Connection c = dist.connections().connectionTo(peer);
        if (c == null || c.state() == Connection.State.CLOSED) {
            fireOnce(peer, CONNECTION_CLOSED);
        }
    }

    /** Ends a {@link #monitor}. */
    void demonitor(Pid watcher, Atom peer) {
        Set<Pid> set = once.get(peer);
        if (set != null) {
            set.remove(watcher);
        }
    }

    /** Connection {@code c} came up: called before its reader starts. */
    void up(Connection c) {
        order.lock();
        try {
            if (c.state() != Connection.State.UP || !announced.add(c)) {
                return;
            }
            LocalNode node = dist.node();
            NodeUp up = new NodeUp(c.peer());
            for (Pid watcher : watchers) {
                node.send(watcher, up);
            }
            if (c.has(DistFlags.PUBLISHED)) {
                for (Pid watcher : visibleWatchers) {
                    node.send(watcher, up);
                }
            }
        } finally {
            order.unlock();
        }
    }

    /** Connection {@code c} closed; watchers hear of it only if they heard that it came up. */
    void down(Connection c, Atom reason) {
        order.lock();
        try {
            fireOnce(c.peer(), reason);
            if (announced.remove(c)) {
                LocalNode node = dist.node();
                NodeDown down = new NodeDown(c.peer(), reason);
                for (Pid watcher : watchers) {
                    node.send(watcher, down);
                }
                if (c.has(DistFlags.PUBLISHED)) {
                    for (Pid watcher : visibleWatchers) {
                        node.send(watcher, down);
                    }
                }
            }
        } finally {
            order.unlock();
        }
    }

    private void fireOnce(Atom peer, Atom reason) {
        Set<Pid> fired = once.remove(peer);
        if (fired != null) {
            LocalNode node = dist.node();
            for (Pid p : fired) {
                node.send(p, new NodeDown(peer, reason));
            }
        }
    }
}
