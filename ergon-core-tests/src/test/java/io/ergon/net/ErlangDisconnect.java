package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Node;
import io.ergon.testkit.ErlangNode;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * The Erlang side drops its connection to an Ergon node, and the Ergon node has seen it go: for tests that then
 * connect again from Ergon's side.
 */
final class ErlangDisconnect {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private ErlangDisconnect() {
    }

    /**
     * Waits until both nodes' {@code global} have finished the exchange that every new connection starts, then
     * {@code erlang:disconnect_node} on {@code erl}, then until {@code java} has no connection left. A message of that
     * exchange still on its way when the connection drops makes Erlang's {@code global} answer it, which connects
     * the two nodes again at once (as it would between two Erlang nodes): on a loaded machine, where the exchange
     * takes longer, the Ergon node then never showed the connection gone.
     */
    static void fromErlangSide(Node java, ErlangNode erl) {
        assertThat(erl.eval("global:sync().")).isEqualTo("ok");
        assertThat(Global.of(java).sync(WAIT)).as("global:sync on the Ergon node").isTrue();
        assertThat(erl.eval("erlang:disconnect_node('" + java.name().name() + "').")).isEqualTo("true");
        Awaitility.await().atMost(WAIT).until(() -> java.nodes().isEmpty());
    }
}
