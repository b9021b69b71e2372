package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.gen.GenServer;
import io.ergon.node.From;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * A node-down that reaches a process late (an idle one, such as the mailbox {@code Node.call} keeps for reuse)
 * concerns the connection that went, not one made since: a call over the new connection must not fail with it.
 */
class ReconnectCallTest {
    static final class Echo extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return request;
        }
    }

    private static NodeOptions options(EpmdServer epmd) {
        return NodeOptions.defaults().distributed(true).cookie("reconnect").epmdPort(epmd.port())
                .listenAddress(InetAddress.getLoopbackAddress());
    }

    @Test
    void aCallAfterADisconnectAndReconnectSucceeds() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Node a = Node.start("reconnect_a@localhost", options(epmd));
             Node b = Node.start("reconnect_b@localhost", options(epmd))) {
            b.spawnRegister("echo", Echo::new);
            Name echo = Name.of("echo", "reconnect_b@localhost");
            for (int round = 0; round < 3; round++) {
                assertThat(a.callAs(echo, "before " + round, String.class)).isEqualTo("before " + round);
                Disconnection.drop(a, b);
                assertThat(a.ping("reconnect_b@localhost")).isTrue();
                assertThat(a.callAs(echo, "after " + round, String.class)).as("round " + round)
                        .isEqualTo("after " + round);
            }
        }
    }
}
