package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.gen.GenServer;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DistributionSmokeTest {
    static EpmdServer epmd;

    @BeforeAll
    static void epmd() throws Exception {
        epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterAll
    static void stop() {
        epmd.close();
    }

    static NodeOptions opts() {
        return NodeOptions.defaults().distributed(true).cookie("smoke").epmdPort(epmd.port())
                .listenAddress(InetAddress.getLoopbackAddress());
    }

    static final class Echo extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return request;
        }
    }

    /**
     * A connection to a node that does not exist fails at once, on its own thread, while the process that asked
     * for it goes on to note its link, monitor or spawn request on it: whichever comes first, the process learns
     * that the node is down (this raced: now and then the failure went unnoticed and a spawn waited for its timeout).
     */
    @Test
    void monitorsAndSpawnsTowardsAMissingNodeAlwaysLearnOfIt() {
        try (Node a = Node.start("lone_a@localhost", opts()); Mailbox box = a.mailbox()) {
            for (int i = 0; i < 300; i++) {
                String nowhere = "nowhere_" + i + "@localhost";
                io.ergon.term.Ref ref = box.monitor(Name.of("someone", nowhere));
                Object down = box.receive(Duration.ofSeconds(5));
                assertThat(down).as("DOWN for a monitor of someone on %s", nowhere)
                        .isEqualTo(new io.ergon.node.Down(ref, Name.of("someone", nowhere),
                                io.ergon.node.Reasons.NOCONNECTION));
                String elsewhere = "elsewhere_" + i + "@localhost";
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> box.spawnRemote(elsewhere, "timer", "sleep",
                                java.util.List.of(1L), io.ergon.node.SpawnOptions.none(), Duration.ofSeconds(5)))
                        .as("a spawn on %s", elsewhere)
                        .isInstanceOfSatisfying(io.ergon.node.SpawnException.class,
                                e -> assertThat(e.reason()).isEqualTo(io.ergon.node.Reasons.NOCONNECTION));
            }
        }
    }

    @Test
    void twoNodesTalk() {
        try (Node a = Node.start("smoke_a@localhost", opts()); Node b = Node.start("smoke_b@localhost", opts())) {
            Mailbox box = a.mailbox("box");
            b.send(Name.of("box", "smoke_a@localhost"), "hello over the wire");
            // a String travels as its UTF-8 binary (the Java mapping), and arrives as a Binary
            assertThat(box.receive(Duration.ofSeconds(10))).isEqualTo(io.ergon.term.Binary.of("hello over the wire"));
            assertThat(b.nodes()).containsExactly(Atom.of("smoke_a@localhost"));
            assertThat(a.ping("smoke_b@localhost")).isTrue();
            Pid echo = a.spawnRegister("echo", Echo::new);
            Object reply = b.call(echo, Atom.of("marco"), Duration.ofSeconds(10));
            assertThat(reply).isEqualTo(Atom.of("marco"));
            Object reply2 = b.call(Name.of("echo", "smoke_a@localhost"), 42L, Duration.ofSeconds(10));
            assertThat(reply2).isEqualTo(42L);
        }
    }
}
