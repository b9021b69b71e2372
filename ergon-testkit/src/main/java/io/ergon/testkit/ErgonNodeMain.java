package io.ergon.testkit;

import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import java.net.InetAddress;
import java.util.function.Consumer;

/**
 * The main class of {@link TestCluster#ergonJvm}'s child JVMs: {@code ErgonNodeMain NAME COOKIE EPMD_PORT [SETUP]}
 * starts a distributed node on loopback, runs {@code SETUP} on it (a class with a public no-argument constructor
 * that is a {@code Consumer<Node>}: it spawns the processes the test needs), prints {@code READY NAME}, and runs
 * until its stdin closes.
 */
public final class ErgonNodeMain {
    private ErgonNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        NodeOptions options = NodeOptions.defaults().distributed(true).cookie(args[1])
                .epmdPort(Integer.parseInt(args[2])).listenAddress(InetAddress.getLoopbackAddress());
        try (Node node = Node.start(args[0], options)) {
            if (args.length > 3) {
                @SuppressWarnings("unchecked")
                Consumer<Node> setup = (Consumer<Node>) Class.forName(args[3]).getConstructor().newInstance();
                setup.accept(node);
            }
            System.out.println("READY " + node.name());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our stdin
            }
        }
        System.exit(0);
    }
}
