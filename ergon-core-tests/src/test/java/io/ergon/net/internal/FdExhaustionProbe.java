package io.ergon.net.internal;

import io.ergon.net.EpmdServer;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link AcceptLoopTest} in a JVM of its own under a low {@code ulimit -n}: starts a node, opens connections
 * to it until the process runs out of file descriptors (so the node's accept fails with "Too many open files"),
 * closes them, and prints whether another node can then connect ({@code RECOVERED} or {@code NOT RECOVERED}) and
 * whether the EPMD in the same process still answers ({@code EPMD SERVES}).
 */
public final class FdExhaustionProbe {
    private FdExhaustionProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            NodeOptions options = NodeOptions.defaults().distributed(true).cookie("fd").epmdPort(epmd.port())
                    .listenAddress(InetAddress.getLoopbackAddress()).setupTime(Duration.ofSeconds(2));
            try (Node target = Node.start("fd_target@localhost", options)) {
                // load what the rest needs while files can still be opened: a JVM out of descriptors cannot load
                // classes from its class path, whatever Ergon does
                try (Node warmUp = Node.start("fd_warm_up@localhost", options)) {
                    warmUp.ping("fd_target@localhost");
                }
                System.out.println("warmed up: " + io.ergon.term.TermFormat.format(io.ergon.term.Tuple.of(
                        io.ergon.term.Atom.of("ok"), java.util.List.of(1L))));
                List<Socket> held = new ArrayList<>();
                boolean exhausted = false;
                for (int i = 0; i < 5_000 && !exhausted; i++) {
                    try {
                        // to the node and to the EPMD in turn, so that both accept loops meet EMFILE
                        held.add(new Socket(InetAddress.getLoopbackAddress(), i % 2 == 0 ? target.port()
                                : epmd.port()));
                    } catch (IOException e) {
                        exhausted = true;
                        System.out.println("EXHAUSTED after " + held.size() + " sockets: " + e.getMessage());
                    }
                }
                Thread.sleep(500); // exhaustion held for a while (the point): the acceptor meets EMFILE meanwhile
                for (Socket s : held) {
                    s.close();
                }
                // recovered once a new node gets through; the held sockets' handshakes end meanwhile (EOF, or the
                // setup time)
                boolean pong = false;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                try (Node other = Node.start("fd_other@localhost", options)) {
                    while (!pong && System.nanoTime() < deadline) {
                        pong = other.ping("fd_target@localhost");
                        if (!pong) {
                            Thread.sleep(100); // a poll interval
                        }
                    }
                }
                boolean epmdServes;
                try {
                    epmdServes = !new io.ergon.net.EpmdClient(InetAddress.getLoopbackAddress(), epmd.port()).names()
                            .isEmpty();
                } catch (IOException e) {
                    epmdServes = false;
                }
                System.out.println("EPMD " + (epmdServes ? "SERVES" : "DOES NOT SERVE"));
                System.out.println(exhausted ? (pong ? "RECOVERED" : "NOT RECOVERED") : "NOT EXHAUSTED");
            }
        }
        System.exit(0);
    }
}
