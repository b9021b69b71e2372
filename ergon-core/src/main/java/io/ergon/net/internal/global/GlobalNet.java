package io.ergon.net.internal.global;

import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.util.List;

/**
 * What {@code global} needs of the node's distribution, and nothing more: the visible connections and their
 * comings and goings, connecting and disconnecting, node monitors. The distribution layer implements it.
 */
public interface GlobalNet {
    /** This node's name. */
    Atom name();

    /** This node's creation (its incarnation), as {@code erlang:system_info(creation)}. */
    int creation();

    /** Erlang's {@code nodes()}: the peers connected by visible connections. */
    List<Atom> visibleNodes();

    /** Whether a connection to {@code node} is up now (Erlang's {@code noconnect} sends go only then). */
    boolean isConnected(Atom node);

    /**
     * Subscribes {@code watcher} to {@link io.ergon.node.NodeUp} and {@link io.ergon.node.NodeDown} for visible
     * connections only, as {@code net_kernel:monitor_nodes(true)} does: a NodeUp arrives before anything read on the
     * new connection, a NodeDown after everything read on it.
     */
    void watchVisible(Pid watcher, boolean on);

    /** Connects to {@code node} if not connected, waiting at most the setup time; true if connected. */
    boolean connect(Atom node);

    /** Closes the connection to {@code node} without waiting ({@code net_kernel:async_disconnect/1}). */
    void disconnect(Atom node);

    /** {@code monitor_node(Node, true)} for {@code watcher}. */
    void monitorNode(Pid watcher, Atom node);

    /** {@code monitor_node(Node, false)} for {@code watcher}. */
    void demonitorNode(Pid watcher, Atom node);
}
