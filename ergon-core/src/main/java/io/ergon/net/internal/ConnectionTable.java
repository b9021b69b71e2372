package io.ergon.net.internal;

import io.ergon.node.NodeStats;
import io.ergon.term.Atom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's connections, one per peer, and the rules for who gets to make one: the first message to a node makes
 * its connection (and a {@link Connector} connects it), and an incoming handshake is answered by
 * {@link #acceptPolicy()}, which settles simultaneous connects as OTP does: the greater node name wins.
 */
final class ConnectionTable {
    private static final Logger LOG = LoggerFactory.getLogger(Distribution.class);
    private final Distribution dist;
    private final Atom self;
    private final Connector connector;
    private final ConcurrentHashMap<Atom, Connection> connections = new ConcurrentHashMap<>();
    /** Held while a connection is created or replaced, so two threads never make one for the same peer. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The traffic with each peer that has been connected, kept across its connections (see {@link PeerTraffic}). */
    private final ConcurrentHashMap<Atom, PeerTraffic> traffic = new ConcurrentHashMap<>();
    /**
     * Peers whose traffic is kept at most: past this, the peers not connected now are forgotten when a new one comes
     * up, so that a node that meets ever new peers (short-lived Erlang scripts, say) does not keep them all.
     */
    static final int MAX_TRAFFIC_PEERS = 1024;

    ConnectionTable(Distribution dist, Atom self, Connector connector) {
        this.dist = dist;
        this.self = self;
        this.connector = connector;
    }

    /** The connection to {@code peer} if there is one, else null (never connects). */
    Connection get(Atom peer) {
        return connections.get(peer);
    }

    /** The connection to {@code peer}, connecting if there is none; null if {@code peer} is this node. */
    Connection connectionTo(Atom peer) {
        Connection c = connections.get(peer);
        if (c != null) {
            return c;
        }
        if (dist.isClosed() || peer.equals(self)) {
            return null;
        }
        lock.lock();
        try {
            c = connections.get(peer);
            if (c != null) {
                return c;
            }
            Connection fresh = new Connection(dist, peer);
            connections.put(peer, fresh);
            Thread.ofVirtual().name("ergon-dist-connect-" + peer).start(() -> connector.initiate(fresh));
            return fresh;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets {@code c} (it closed); a newer connection to the same peer stays. */
    void remove(Connection c) {
        connections.remove(c.peer(), c);
    }

    /** The peers connected now. */
    List<Atom> upPeers() {
        return upPeers(c -> true);
    }

    /**
     * The peers with a connection up whose hidden-ness is {@code hidden} (a connection is hidden if either side is:
     * then neither offered {@link DistFlags#PUBLISHED} in common).
     */
    List<Atom> upPeers(boolean hidden) {
        return upPeers(c -> !c.has(DistFlags.PUBLISHED) == hidden);
    }

    private List<Atom> upPeers(Predicate<Connection> which) {
        List<Atom> out = new ArrayList<>();
        connections.forEach((peer, c) -> {
            if (c.state() == Connection.State.UP && which.test(c)) {
                out.add(peer);
            }
        });
        return out;
    }

    /** The traffic counts for {@code peer}, whose connection has just come up. */
    PeerTraffic trafficOf(Atom peer) {
        PeerTraffic t = traffic.get(peer);
        if (t != null) {
            return t;
        }
        if (traffic.size() >= MAX_TRAFFIC_PEERS) {
            traffic.keySet().removeIf(p -> connections.get(p) == null);
        }
        return traffic.computeIfAbsent(peer, PeerTraffic::new);
    }

    /**
     * The connections held now, up or being set up, as {@code net_kernel:nodes_info/0} lists them: a closed one is
     * gone from the table, and one not up yet has no address and counts 0 in and out, as in Erlang.
     */
    List<Distribution.PeerInfo> peerInfo() {
        List<Distribution.PeerInfo> out = new ArrayList<>();
        connections.forEach((peer, c) -> {
            Connection.State state = c.state();
            if (state == Connection.State.CLOSED) {
                return;
            }
            boolean up = state == Connection.State.UP;
            PeerTraffic t = up ? traffic.get(peer) : null;
            NodeStats.Connection counts = t == null ? null : t.snapshot(NodeStats.ConnectionState.UP);
            Channel channel = up ? c.channel() : null;
            out.add(new Distribution.PeerInfo(peer, up, up && !c.has(DistFlags.PUBLISHED),
                    channel == null ? null : channel.socket().getRemoteSocketAddress(),
                    counts == null ? 0 : counts.messagesIn(), counts == null ? 0 : counts.messagesOut()));
        });
        return out;
    }

    /** Each peer's traffic so far, and whether it is connected now. */
    List<NodeStats.Connection> stats() {
        List<NodeStats.Connection> out = new ArrayList<>();
        traffic.forEach((peer, t) -> {
            Connection c = connections.get(peer);
            NodeStats.ConnectionState state = c == null ? NodeStats.ConnectionState.DOWN : switch (c.state()) {
                case CONNECTING -> NodeStats.ConnectionState.CONNECTING;
                case UP -> NodeStats.ConnectionState.UP;
                case CLOSED -> NodeStats.ConnectionState.DOWN;
            };
            out.add(t.snapshot(state));
        });
        return out;
    }

    Collection<Connection> all() {
        return connections.values();
    }

    /** A fresh policy for one incoming handshake. */
    AcceptPolicy acceptPolicy() {
        return new AcceptPolicy();
    }

    /** Decides, under the table's lock, what to answer a node that connects to us, and which connection it gets. */
    final class AcceptPolicy implements Handshake.Policy {
        private Connection connection;
        private boolean created;
        /** The peer answered {@code alive} with {@code true}: replace its connection once it is authenticated. */
        private boolean replacing;

        /** The connection the handshake goes into, or null if it was refused before one was chosen. */
        Connection connection() {
            return connection;
        }

        /** True if this handshake made its connection (so that its failure closes it). */
        boolean created() {
            return created;
        }

        @Override
        public Handshake.Verdict decide(Atom peer) {
            if (dist.isClosed()) {
                return Handshake.Verdict.NOT_ALLOWED;
            }
            lock.lock();
            try {
                Connection existing = connections.get(peer);
                if (existing == null || existing.state() == Connection.State.CLOSED) {
                    connection = new Connection(dist, peer);
                    created = true;
                    connections.put(peer, connection);
                    return Handshake.Verdict.OK;
                }
                if (existing.state() == Connection.State.UP) {
                    return Handshake.Verdict.ALIVE;
                }
                // both sides are connecting: the greater name wins (OTP's rule)
                if (peer.name().compareTo(self.name()) > 0) {
                    connection = existing;
                    existing.acceptingSimultaneous = true;
                    return Handshake.Verdict.OK_SIMULTANEOUS;
                }
                return Handshake.Verdict.NOK;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void replaceExisting(Atom peer, boolean replace) {
            replacing = replace; // only once the peer proves the cookie (authenticated): OTP's alive handling
        }

        @Override
        public void authenticated(Atom peer) {
            if (!replacing) {
                return;
            }
            Connection old = connections.get(peer);
            if (old != null) {
                LOG.info("{}: {} reconnected and proved the cookie: its old connection is replaced", self, peer);
                old.close("the peer reconnected (it restarted or lost the old connection)");
            }
            lock.lock();
            try {
                connection = new Connection(dist, peer);
                created = true;
                connections.put(peer, connection);
            } finally {
                lock.unlock();
            }
        }
    }
}
