package io.ergon.net.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A fixed list of peers, as {@code sys.config}'s {@code sync_nodes_optional} or libcluster's {@code Epmd} strategy
 * give them. The membership still follows each one: it reconnects to a peer that went down and came back.
 */
public final class StaticDiscovery implements Discovery {
    private final List<Peer> peers;

    private StaticDiscovery(List<Peer> peers) {
        this.peers = List.copyOf(peers);
    }

    /** These peers. */
    public static StaticDiscovery of(Collection<Peer> peers) {
        return new StaticDiscovery(new ArrayList<>(peers));
    }

    /**
     * Peers written as {@code alive@host}, or {@code alive@host=PORT} for a node whose port is known without EPMD (the
     * syntax of {@code ergon.peer-ports}).
     *
     * @throws IllegalArgumentException if an entry is not a node name, or its port not 1..65535
     */
    public static StaticDiscovery parse(Collection<String> entries) {
        List<Peer> peers = new ArrayList<>();
        for (String e : entries) {
            String entry = e.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.lastIndexOf('=');
            if (eq < 0) {
                peers.add(Peer.of(entry));
                continue;
            }
            int port;
            try {
                port = Integer.parseInt(entry.substring(eq + 1).strip());
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException("'" + entry + "': the port after '=' is not a number");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + entry + "': a port is 1..65535");
            }
            peers.add(new Peer(entry.substring(0, eq).strip(), null, port));
        }
        return new StaticDiscovery(peers);
    }

    @Override
    public Collection<Peer> peers() {
        return peers;
    }

    @Override
    public String toString() {
        return "static " + peers.stream().map(Peer::node).toList();
    }
}
