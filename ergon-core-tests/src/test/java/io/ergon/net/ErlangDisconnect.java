package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Node;
import io.ergon.testkit.ErlangNode;
import java.time.Duration;

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
     * {@code erlang:disconnect_node} on {@code erl}, then for {@code java}'s nodedown of it. A message of that
     * exchange still on its way when the connection drops makes Erlang's {@code global} answer it, which connects
     * the two nodes again at once (as it would between two Erlang nodes); the sync makes that rarer, and the
     * nodedown, not an empty {@code nodes()}, is what is awaited, so that a connection made again at once does
     * not hide the drop (see {@link Disconnection}).
     */
    static void fromErlangSide(Node java, ErlangNode erl) {
        assertThat(erl.eval("global:sync().")).isEqualTo("ok");
        assertThat(Global.of(java).sync(WAIT)).as("global:sync on the Ergon node").isTrue();
        Disconnection.seesGo(java, erl.name(), () ->
                assertThat(erl.eval("erlang:disconnect_node('" + java.name().name() + "').")).isEqualTo("true"));
    }
}
