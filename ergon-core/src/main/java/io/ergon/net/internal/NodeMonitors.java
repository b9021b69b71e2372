package io.ergon.net.internal;

import io.ergon.node.NodeDown;
import io.ergon.node.NodeUp;
import io.ergon.node.spi.LocalNode;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Node-level monitoring, which Erlang derives from the connections alone: {@code net_kernel:monitor_nodes/1}
 * watchers get a {@link NodeUp} for every connection made and a {@link NodeDown} for every one lost, and each
 * {@code monitor_node(Node, true)} gets one {@link NodeDown} when that node's connection goes (at once if it
 * cannot be made).
 */
final class NodeMonitors {
    private static final Atom CONNECTION_CLOSED = CloseCause.CLOSED.nodeDownReason();

    private final Distribution dist;
    private final Set<Pid> watchers = ConcurrentHashMap.newKeySet();
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

    /** A connection to {@code peer} came up. */
    void up(Atom peer) {
        LocalNode node = dist.node();
        for (Pid watcher : watchers) {
            node.send(watcher, new NodeUp(peer));
        }
    }

    /** The connection to {@code peer} closed; watchers hear of it only if it had been up. */
    void down(Atom peer, Atom reason, boolean wasUp) {
        fireOnce(peer, reason);
        if (wasUp) {
            LocalNode node = dist.node();
            for (Pid watcher : watchers) {
                node.send(watcher, new NodeDown(peer, reason));
            }
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
