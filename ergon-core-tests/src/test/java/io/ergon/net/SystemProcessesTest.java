package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * net_kernel, rex and user are supervised: killed (as a cookie holder may kill them), each is restarted under its
 * name, and the node keeps answering pings and rpc (issue 19: they stayed dead, and the node answered pang for good).
 */
class SystemProcessesTest {
    @Test
    @Timeout(60)
    void aKilledSystemProcessIsRestartedAndTheNodeStillAnswers() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            NodeOptions options = NodeOptions.defaults().distributed(true).cookie("sys").epmdPort(epmd.port())
                    .listenAddress(InetAddress.getLoopbackAddress());
            try (Node node = Node.start("sys_target@localhost", options);
                 Node peer = Node.start("sys_peer@localhost", options)) {
                for (String name : List.of("net_kernel", "rex", "user")) {
                    Pid before = node.whereis(name);
                    assertThat(before).as(name).isNotNull();
                    node.exit(before, Reasons.KILL);
                    Pid after = awaitNew(node, name, before);
                    assertThat(after).as("%s restarted", name).isNotEqualTo(before);
                }
                assertThat(peer.ping("sys_target@localhost")).isTrue();
                Object answer = Rpc.of(peer).call("sys_target@localhost", "erlang", "node", List.of(),
                        Duration.ofSeconds(5));
                assertThat(answer).isEqualTo(Atom.of("sys_target@localhost"));
            }
        }
    }

    /** The process registered as {@code name} once it is another than {@code before} (or its end, 5 s later). */
    private static Pid awaitNew(Node node, String name, Pid before) {
        try {
            return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> node.whereis(name), now -> now != null && !now.equals(before));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return node.whereis(name);
        }
    }
}
