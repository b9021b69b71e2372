package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.net.EpmdServer;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PendingHandshakesTest {
    @Test
    void boundsPerAddressAndInAllAndFreesWhatEnds() throws Exception {
        PendingHandshakes p = new PendingHandshakes(2, 3);
        InetAddress a = InetAddress.getByName("127.0.0.1");
        InetAddress b = InetAddress.getByName("127.0.0.2");
        assertThat(p.tryBegin(a)).isTrue();
        assertThat(p.tryBegin(a)).isTrue();
        assertThat(p.tryBegin(a)).as("a third from one address").isFalse();
        assertThat(p.tryBegin(b)).isTrue();
        assertThat(p.tryBegin(b)).as("a fourth in all").isFalse();
        assertThat(p.pending()).isEqualTo(3);
        p.end(a);
        assertThat(p.tryBegin(a)).as("one ended: room again").isTrue();
        p.end(a);
        p.end(a);
        p.end(b);
        assertThat(p.pending()).isZero();
    }

    /** Handshakes that never send a byte: past the bound from one address, the node closes new ones at once. */
    @Test
    @Timeout(60)
    void aPeerCannotHoldMoreHandshakesThanTheBound() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Node node = Node.start("pending_target@localhost", NodeOptions.defaults().distributed(true)
                     .cookie("pending").epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress())
                     .setupTime(Duration.ofSeconds(20)))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < PendingHandshakes.PER_ADDRESS; i++) {
                    held.add(new Socket(InetAddress.getLoopbackAddress(), node.port()));
                }
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)) // it has accepted them all
                        .until(() -> DistributionOf.node(node).pendingHandshakes() == PendingHandshakes.PER_ADDRESS);
                try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
                    extra.setSoTimeout(5_000);
                    assertThat(readOrClosed(extra)).as("one past the bound is closed at once").isTrue();
                }
                Socket first = held.get(0);
                first.setSoTimeout(200);
                assertThat(readOrClosed(first)).as("those within the bound wait for their setup time").isFalse();
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            try (Node other = Node.start("pending_other@localhost", NodeOptions.defaults().distributed(true)
                    .cookie("pending").epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()))) {
                boolean pong = false;
                for (int i = 0; i < 20 && !pong; i++) {
                    pong = other.ping("pending_target@localhost");
                }
                assertThat(pong).as("once they are gone, a real node connects").isTrue();
            }
        }
    }

    /** True if the socket was closed by the other side within its read timeout, false if it is still open. */
    private static boolean readOrClosed(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
