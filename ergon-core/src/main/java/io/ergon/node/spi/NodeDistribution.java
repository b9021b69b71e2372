package io.ergon.node.spi;

import io.ergon.node.NodeStats;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.util.List;

/**
 * One node's distribution, as the node sees it: opened by a {@link DistributionProvider}, attached once the node
 * exists, closed when it stops. The public faces of these methods are {@link io.ergon.node.Node}'s
 * ({@code connect}, {@code nodes}, {@code monitorNode}, ...), which document Erlang's semantics.
 */
public interface NodeDistribution {
    /** The node's creation (incarnation), as its name's registration returned it. */
    int creation();

    /**
     * Starts serving {@code node}: routes its traffic to other nodes, accepts connections, ticks, and starts the
     * registered processes Erlang peers expect ({@code net_kernel}, {@code rex}, {@code user}). Called once, before
     * the node is handed to its user.
     */
    void attach(LocalNode node);

    /** The port it accepts connections on. */
    int port();

    /** Connects to {@code peer} if not connected and waits for the handshake; true if connected. */
    boolean connect(Atom peer);

    /** As {@link #connect}, but null if connected, else why not, in words. */
    default String connectFailure(Atom peer) {
        return connect(peer) ? null : "cannot connect to " + peer;
    }

    /**
     * Where {@code peer} is, learned at run time (by discovery): its address, or null to resolve its name's host, and
     * its port, or 0 to ask EPMD (or use the shared port of a node without EPMD). Both null and 0 forget it.
     */
    void locate(Atom peer, java.net.InetAddress address, int port);

    /** Closes the connection to {@code peer}; false if there was none. */
    boolean disconnect(Atom peer);

    /** The nodes connected now. */
    List<Atom> nodes();

    /**
     * The traffic with each peer this node has been connected to, and whether it is connected now (see
     * {@link io.ergon.node.NodeStats.Connection}); read without stopping the connections.
     */
    List<NodeStats.Connection> connectionStats();

    /** {@code net_kernel:monitor_nodes(On)} for {@code watcher}. */
    void watchNodes(Pid watcher, boolean on);

    /** {@code monitor_node(Node, true)} for {@code watcher}. */
    void monitorNode(Pid watcher, Atom peer);

    /** Closes every connection (after their queued frames, briefly), the listener and the registration. */
    void close();
}
