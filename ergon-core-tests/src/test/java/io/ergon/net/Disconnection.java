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
        seesGo(node, peer, () -> disconnect(node, peer));
    }

    /** {@code node} drops its connection to {@code peerNode}, an Ergon node of this JVM, and both see it go. */
    static void drop(Node node, Node peerNode) {
        String peer = peerNode.name().name();
        seesGo(peerNode, node.name().name(), () -> seesGo(node, peer, () -> disconnect(node, peer)));
    }

    /**
     * Runs {@code drop}, which ends the connection between {@code watcher} and {@code peer} (from either side), and
     * waits for {@code watcher}'s nodedown of {@code peer}.
     */
    static void seesGo(Node watcher, String peer, Runnable drop) {
        try (TestProbe probe = TestProbe.create(watcher)) {
            watcher.monitorNode(probe.pid(), peer);
            drop.run();
            probe.expectMessageClass(NodeDown.class, WAIT);
        }
    }

    private static void disconnect(Node node, String peer) {
        assertThat(node.disconnect(peer)).as("%s was connected to %s", node.name(), peer).isTrue();
    }
}
