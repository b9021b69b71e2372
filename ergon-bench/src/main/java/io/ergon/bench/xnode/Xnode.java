package io.ergon.bench.xnode;

import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import java.net.InetAddress;

/** What the cross-node benchmark's two sides share: the message shapes and how a node starts. */
final class Xnode {
    static final Atom MSG = Atom.of("msg");
    static final Atom SYNC = Atom.of("sync");
    static final Atom PID = Atom.of("pid");
    static final String SINK = "bench_sink";
    static final String ECHO = "bench_echo";

    private Xnode() {
    }

    /** A distributed node on loopback that registers with the EPMD on {@code epmdPort}. */
    static Node start(String name, String cookie, int epmdPort) {
        return Node.start(name, NodeOptions.defaults().distributed(true).cookie(cookie).epmdPort(epmdPort)
                .listenAddress(InetAddress.getLoopbackAddress()));
    }
}
