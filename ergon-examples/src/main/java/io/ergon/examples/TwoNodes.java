package io.ergon.examples;

import io.ergon.node.Actor;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ergo's networking example, in Java: two nodes, and a message from one to a registered process of the other,
 * addressed by name and node ({@code {node1Process, 'node1@localhost'}}). The first message connects the nodes,
 * over Erlang's distribution protocol, as Erlang does.
 *
 * <ul>
 *   <li>{@code ./ergon example two-nodes}: both nodes in one process;</li>
 *   <li>{@code ./ergon example two-nodes node1} in one terminal, then {@code ./ergon example two-nodes node2} in
 *       another: each node in its own OS process.</li>
 * </ul>
 * The nodes use EPMD on its usual port (4369, or {@code ERL_EPMD_PORT}); the first one starts it if none runs.
 */
public final class TwoNodes {
    /** The cookie both nodes share. */
    public static final String COOKIE = "ergon-example";

    private TwoNodes() {
    }

    /** Logs what it receives and counts it down. */
    static final class Node1Process extends Actor {
        private final CountDownLatch received;

        Node1Process(CountDownLatch received) {
            this.received = received;
        }

        @Override
        protected void handleMessage(Object message) {
            log().info("{} on {} got message: {}", self(), node().name(), message);
            received.countDown();
        }
    }

    /** {@code TwoNodes [node1|node2]}: both nodes here, or one of them. */
    public static void main(String[] args) throws InterruptedException {
        String role = args.length > 0 ? args[0] : "both";
        int epmdPort = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        switch (role) {
            case "node1" -> System.out.println(node1(epmdPort, Duration.ofSeconds(60))
                    ? "node1: node1Process received the message from node 2."
                    : "node1: no message within 60 seconds (did you run 'ergon example two-nodes node2'?)");
            case "node2" -> node2(epmdPort);
            default -> System.out.println(run(epmdPort, Duration.ofSeconds(10))
                    ? "node1Process on node1 received the message that node 2 sent."
                    : "The message did not arrive within 10 seconds.");
        }
    }

    static NodeOptions options(int epmdPort) {
        // both nodes are @localhost: listening on loopback is enough
        return NodeOptions.defaults().distributed(true).cookie(COOKIE).epmdPort(epmdPort)
                .listenAddress(InetAddress.getLoopbackAddress());
    }

    /** Both nodes in this process; true if the message arrived within {@code wait}. */
    public static boolean run(int epmdPort, Duration wait) throws InterruptedException {
        CountDownLatch received = new CountDownLatch(1);
        try (Node node1 = Node.start("node1@localhost", options(epmdPort));
             Node node2 = Node.start("node2@localhost", options(epmdPort))) {
            node1.spawnRegister("node1Process", () -> new Node1Process(received));
            node2.send(Name.of("node1Process", "node1@localhost"), "Hello from node 2!");
            return received.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs node 1 until node1Process got its message or {@code wait} passed; true if it got it. */
    public static boolean node1(int epmdPort, Duration wait) throws InterruptedException {
        CountDownLatch received = new CountDownLatch(1);
        try (Node node1 = Node.start("node1@localhost", options(epmdPort))) {
            node1.spawnRegister("node1Process", () -> new Node1Process(received));
            System.out.println("node1: running, with node1Process registered; waiting for node 2");
            System.out.flush();
            return received.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs node 2: sends the greeting to node1Process on node 1, and stops (which flushes the message out). */
    public static void node2(int epmdPort) {
        try (Node node2 = Node.start("node2@localhost", options(epmdPort))) {
            if (!node2.connect("node1@localhost")) {
                System.out.println("node2: cannot reach node1@localhost (start 'ergon example two-nodes node1' first)");
                return;
            }
            node2.send(Name.of("node1Process", "node1@localhost"), "Hello from node 2!");
            System.out.println("node2: sent \"Hello from node 2!\" to {node1Process, node1@localhost}");
        }
    }
}
