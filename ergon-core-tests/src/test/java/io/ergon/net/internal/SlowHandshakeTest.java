package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.net.EpmdServer;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.testing.SlowPeer;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that feeds its handshake one byte at a time, each within the setup time of the last (issue 19's
 * slowloris), is cut off when the whole handshake's setup time has passed, as Erlang's net_setuptime does.
 */
class SlowHandshakeTest {
    @Test
    @Timeout(30)
    void aHandshakeFedOneByteAtATimeEndsAtTheSetupTime() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Node node = Node.start("slow_target@localhost", NodeOptions.defaults().distributed(true).cookie("slow")
                     .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress())
                     .setupTime(Duration.ofSeconds(1)))) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
                // a send_name message that never ends: its length says 200 bytes, they come one every 200 ms
                long closedAfterMillis = SlowPeer.feedUntilClosed(s, new byte[] {0, (byte) 200}, 'N', 40, 50, 150);
                // -1 would mean it stayed open while the peer fed it (8 s): the deadline cut it off
                assertThat(closedAfterMillis).as("the node closed the handshake (ms after it began)")
                        .isGreaterThanOrEqualTo(900L);
            }
            assertThat(node.ping("slow_target@localhost")).as("the node still answers").isTrue();
        }
    }
}
