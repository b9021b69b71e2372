package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Node;
import io.ergon.node.NodeDown;
import io.ergon.testkit.TestProbe;
import java.time.Duration;

/**
 * Drops a connection and waits until each end has seen it go, by a node monitor's nodedown at each Ergon end.
 *
 * <p>Not by an empty {@code nodes()}: a send made after the disconnect may connect the nodes again at once, as in
 * Erlang. {@code global} casts its {@code init_connect} for each nodeup it handles, and on a loaded machine it can
 * handle the nodeup of a connection that is already gone; the cast connects the nodes again, and {@code nodes()} is
 * then never empty on both at once (seen in CI: ReconnectCallTest waited 5 s for it).
 */
final class Disconnection {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private Disconnection() {
    }

    /** {@code node} drops its connection to {@code peer} (which must be up), and sees it go. */
    static void drop(Node node, String peer) {
        drop(node, peer, null);
    }

    /**
     * {@code node} drops its connection to {@code peer}, an Ergon node of this JVM, and both see it go.
     *
     * @param peerNode the peer's node, or null if it is not an Ergon node of this JVM
     */
    static void drop(Node node, Node peerNode) {
        drop(node, peerNode.name().name(), peerNode);
    }

    private static void drop(Node node, String peer, Node peerNode) {
        try (TestProbe here = TestProbe.create(node);
             TestProbe there = peerNode == null ? null : TestProbe.create(peerNode)) {
            node.monitorNode(here.pid(), peer);
            if (there != null) {
                peerNode.monitorNode(there.pid(), node.name().name());
            }
            assertThat(node.disconnect(peer)).as("%s was connected to %s", node.name(), peer).isTrue();
            here.expectMessageClass(NodeDown.class, WAIT);
            if (there != null) {
                there.expectMessageClass(NodeDown.class, WAIT);
            }
        }
    }
}
