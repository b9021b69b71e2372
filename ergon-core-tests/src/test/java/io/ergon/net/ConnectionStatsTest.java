package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.NodeStats;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.testing.TestAgent;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code NodeStats.connections()} between two nodes of this JVM: bytes and messages each way grow with the traffic and
 * agree between the two ends, the state follows the connection, and the counts go on across a reconnection.
 */
class ConnectionStatsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void trafficAndStateAreCountedPerPeer() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (EpmdServer epmd = EpmdServer.start(loopback, 0)) {
            NodeOptions o = NodeOptions.defaults().distributed(true).cookie("stats").epmdPort(epmd.port())
                    .listenAddress(loopback);
            // a hidden, so that global does not sync the two: its lock's release, still under way after the
            // disconnect, connects the nodes again (as Erlang's multi_call does) and the state goes back to UP
            try (Node a = Node.start("stats_a@localhost", o.hidden(true));
                 Node b = Node.start("stats_b@localhost", o)) {
                b.spawnRegister("echo", TestAgent.Echo::new);
                assertThat(a.stats().connections()).isEmpty();
                Name echo = Name.of("echo", "stats_b@localhost");
                Binary kib = Binary.of(new byte[1024]);
                for (int i = 0; i < 20; i++) {
                    assertThat(a.<Object>call(echo, kib)).isEqualTo(kib);
                }
                NodeStats.Connection ab = peer(a, "stats_b@localhost").orElseThrow();
                assertThat(ab.state()).isEqualTo(NodeStats.ConnectionState.UP);
                // each call: a request out and a reply in, each with 1 KiB of payload (a monitor and demonitor too)
                assertThat(ab.messagesOut()).isGreaterThanOrEqualTo(20);
                assertThat(ab.messagesIn()).isGreaterThanOrEqualTo(20);
                assertThat(ab.bytesOut()).isGreaterThan(20 * 1024);
                assertThat(ab.bytesIn()).isGreaterThan(20 * 1024);
                assertThat(ab.busyWaits()).isZero();
                // what one end wrote the other read (ticks included), once the last frames are through
                await().atMost(WAIT).untilAsserted(() -> {
                    NodeStats.Connection x = peer(a, "stats_b@localhost").orElseThrow();
                    NodeStats.Connection y = peer(b, "stats_a@localhost").orElseThrow();
                    assertThat(y.bytesIn()).isEqualTo(x.bytesOut());
                    assertThat(y.messagesIn()).isEqualTo(x.messagesOut());
                    assertThat(x.bytesIn()).isEqualTo(y.bytesOut());
                    assertThat(x.messagesIn()).isEqualTo(y.messagesOut());
                });

                NodeStats.Connection beforeDown = peer(a, "stats_b@localhost").orElseThrow();
                assertThat(a.disconnect("stats_b@localhost")).isTrue();
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(peer(a, "stats_b@localhost").orElseThrow().state())
                            .isEqualTo(NodeStats.ConnectionState.DOWN);
                    assertThat(peer(b, "stats_a@localhost").orElseThrow().state())
                            .isEqualTo(NodeStats.ConnectionState.DOWN);
                });
                NodeStats.Connection down = peer(a, "stats_b@localhost").orElseThrow();
                assertThat(down.bytesOut()).isGreaterThanOrEqualTo(beforeDown.bytesOut());

                // a new connection goes on counting for the same peer (ReconnectCallTest: the old connection's
                // node-down, still queued in the mailbox Node.call reuses, no longer fails this call)
                assertThat(a.connect("stats_b@localhost")).isTrue();
                assertThat((Object) a.call(echo, kib, WAIT)).isEqualTo(kib);
                // the writer counts a frame once its write returns, which the reply can beat: awaited, not sampled
                await().atMost(WAIT).untilAsserted(() -> {
                    NodeStats.Connection again = peer(a, "stats_b@localhost").orElseThrow();
                    assertThat(again.state()).isEqualTo(NodeStats.ConnectionState.UP);
                    assertThat(again.messagesOut()).isGreaterThan(down.messagesOut());
                    assertThat(again.bytesOut()).isGreaterThan(down.bytesOut() + 1024);
                });
                assertThat(a.stats().connections()).extracting(NodeStats.Connection::peer)
                        .containsExactly(Atom.of("stats_b@localhost"));
            }
        }
    }

    private static Optional<NodeStats.Connection> peer(Node node, String peer) {
        return node.stats().connections().stream().filter(c -> c.peer().equals(Atom.of(peer))).findFirst();
    }
}
