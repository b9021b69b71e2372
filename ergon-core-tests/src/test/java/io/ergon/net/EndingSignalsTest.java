package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ergon.node.Actor;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.NodeStats;

import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.testkit.TestProbe;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What ends a link or a monitor does not connect to a node that is not connected, as in ERTS (whose unlink,
 * demonitor and exit-time signals are prepared with {@code connect = 0}): a process that exits after its node lost
 * a peer, before it took the node-down in, leaves the peer disconnected. Before, its exit connected the nodes again
 * to carry a link's exit signal, a DOWN and a demonitor that the peer had already dropped with the connection.
 */
class EndingSignalsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Blocks in its handler until let go, without taking signals in, then exits with {@code boom}. */
    static final class Stuck extends Actor {
        private final Pid watched;
        private final CountDownLatch entered;
        private final CountDownLatch letGo;

        Stuck(Pid watched, CountDownLatch entered, CountDownLatch letGo) {
            this.watched = watched;
            this.entered = entered;
            this.letGo = letGo;
        }

        @Override
        protected void init() {
            monitor(watched);
        }

        @Override
        protected void handleMessage(Object message) throws Exception {
            entered.countDown();
            assertThat(letGo.await(30, TimeUnit.SECONDS)).isTrue();
            stop(Atom.of("boom"));
        }
    }

    private static NodeOptions options(EpmdServer epmd) {
        return NodeOptions.defaults().distributed(true).cookie("ending").epmdPort(epmd.port())
                .listenAddress(InetAddress.getLoopbackAddress());
    }

    @Test
    void aProcessThatExitsAfterItsPeerWentDoesNotConnectAgainToEndItsLinksAndMonitors() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Node a = Node.start("ending_a@localhost", options(epmd));
             Node b = Node.start("ending_b@localhost", options(epmd));
             TestProbe remote = TestProbe.create(b)) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch letGo = new CountDownLatch(1);
            // stuck monitors the remote probe; the probe links to it and monitors it: three relations across
            Pid stuck = a.spawn(() -> new Stuck(remote.pid(), entered, letGo));
            remote.linkTo(stuck);
            remote.watch(stuck);
            await().atMost(WAIT).until(() -> a.info(stuck).monitors().size() == 1
                    && a.info(stuck).monitoredBy().size() == 1 && a.info(stuck).links().size() == 1);
            a.send(stuck, "block");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

            Disconnection.drop(a, b);
            // the probe's side of the link and the monitor went with the connection
            assertThat(remote.expectExit(stuck).reason()).isEqualTo(Reasons.NOCONNECTION);
            remote.expectMessageClass(io.ergon.node.Down.class, WAIT);

            letGo.countDown(); // stuck exits with the node-down still queued: its relations to b still listed
            await().atMost(WAIT).until(() -> !a.isAlive(stuck)); // gone only once its exit's signals were routed
            assertThat(a.nodes()).isEmpty();
            assertThat(b.nodes()).isEmpty();
            assertThat(state(a, "ending_b@localhost")).isEqualTo(NodeStats.ConnectionState.DOWN);
        }
    }

    private static NodeStats.ConnectionState state(Node node, String peer) {
        return node.stats().connections().stream().filter(c -> c.peer().equals(Atom.of(peer))).findFirst()
                .orElseThrow().state();
    }
}
