package io.ergon.bench.xnode;

import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.TlsOptions;
import java.io.IOException;
import java.nio.file.Path;
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

    /**
     * A distributed node on loopback that registers with the EPMD on {@code epmdPort}; with TLS distribution when
     * the system property {@code ergon.bench.tls} names an Erlang {@code ssl_dist_optfile} (bench/tls.sh passes the
     * one its Erlang nodes read).
     */
    static Node start(String name, String cookie, int epmdPort) throws IOException {
        NodeOptions options = NodeOptions.defaults().distributed(true).cookie(cookie).epmdPort(epmdPort)
                .listenAddress(InetAddress.getLoopbackAddress());
        String optFile = System.getProperty("ergon.bench.tls");
        if (optFile != null && !optFile.isEmpty()) {
            options = options.tls(TlsOptions.fromErlangOptFile(Path.of(optFile)));
        }
        return Node.start(name, options);
    }
}
