package io.ergon.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.net.EpmdServer;
import io.ergon.testkit.ChildJvm;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TwoNodesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theMessageCrossesFromNode2ToNode1InOneProcess() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            assertThat(TwoNodes.run(epmd.port(), Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void theMessageCrossesBetweenTwoOsProcesses() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            String port = Integer.toString(epmd.port());
            try (ChildJvm node1 = ChildJvm.start(ChildJvm.Options.defaults()
                            .readyWhen(l -> l.contains("waiting for node 2")), TwoNodes.class, WAIT, "node1", port);
                 ChildJvm node2 = ChildJvm.start(ChildJvm.Options.defaults().readyWhen(null), TwoNodes.class, WAIT,
                         "node2", port)) {
                node2.awaitExit(WAIT);
                node1.awaitExit(WAIT);
                assertThat(node2.lines().toString()).contains("node2: sent \"Hello from node 2!\"");
                assertThat(node1.lines().toString()).contains("got message: <<\"Hello from node 2!\">>",
                        "node1: node1Process received the message from node 2.");
            }
        }
    }
}
