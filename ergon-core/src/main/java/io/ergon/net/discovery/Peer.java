package io.ergon.net.discovery;

import io.ergon.net.NodeName;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A node a {@link Discovery} source found: its name, and where it is when the source knows that.
 *
 * @param node the node's full name, {@code alive@host}
 * @param address its address, or null when the node's host is to be resolved as usual
 * @param port the port it accepts distribution connections on, or 0 when EPMD (or the shared port of nodes without
 *     EPMD) tells it
 */
public record Peer(String node, InetAddress address, int port) {
    public Peer {
        NodeName.parse(Objects.requireNonNull(node, "node"));
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("a port is 0..65535, not " + port);
        }
    }

    /** A peer known by its name only. */
    public static Peer of(String node) {
        return new Peer(node, null, 0);
    }
}
