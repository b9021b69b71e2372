package io.ergon.examples;

import io.ergon.node.Actor;
import io.ergon.node.Name;
import io.ergon.node.Node;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ergo's networking example, in Java: two nodes, and a message from a process of one to a registered process of
 * the other, addressed by name and node ({@code {node1Process, 'node1@localhost'}}). Run it with
 * {@code ./ergon example two-nodes}.
 *
 * <p><b>Not working yet:</b> it needs Erlang distribution between the nodes, which Ergon does not have yet; until
 * then a message to another node is dropped (as Erlang drops messages to a node it cannot reach), and this example
 * says so. It is therefore left out of the tests and of {@code ergon demo}. When distribution lands, the send
 * below connects the nodes (Erlang connects on first use), and the same code prints the greeting.
 */
public final class TwoNodes {
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

    public static void main(String[] args) throws InterruptedException {
        boolean delivered = run(Duration.ofSeconds(2));
        System.out.println(delivered ? "node1Process received the message from node 2."
                : "The message did not arrive: Ergon does not speak Erlang distribution yet, so node 2 cannot reach "
                        + "node 1 (this example becomes real when it does).");
    }

    /** Runs the example; true if the message arrived within {@code wait}. */
    public static boolean run(Duration wait) throws InterruptedException {
        CountDownLatch received = new CountDownLatch(1);
        try (Node node1 = Node.start("node1@localhost"); Node node2 = Node.start("node2@localhost")) {
            node1.spawnRegister("node1Process", () -> new Node1Process(received));
            node2.send(Name.of("node1Process", "node1@localhost"), "Hello from node 2!");
            return received.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
