package io.ergon.net.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.net.EpmdServer;
import io.ergon.net.internal.Distribution;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.testing.DiscoveredNodeMain;
import io.ergon.testing.LocalProgram;
import io.ergon.testing.TestAgent;
import io.ergon.testkit.ErlangNode;
import io.ergon.testkit.LogCapture;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.event.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A static list of peers, and what the membership does whatever the source: it connects to peers that start after
 * it, retries with back-off, reconnects to a peer that restarted (an Ergon node, and a real Erlang node killed with
 * SIGKILL), and stops following a peer the source drops.
 */
@Timeout(60)
class StaticDiscoveryTest {
    private static final String COOKIE = "staticcookie";
    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        for (Node n : nodes) {
            n.close();
        }
    }

    /**
     * Starts a node on {@code port}. A port chosen free may be taken for a moment as the local end of an outgoing
     * connection (the membership's own attempts to reach that very port among them, while nothing listens there):
     * the bind is retried for up to 10 s.
     */
    private Node node(String name, int port) throws Exception {
        NodeOptions options = NodeOptions.defaults().distributed(true).cookie(COOKIE).epmdless(port)
                .listenAddress(InetAddress.getLoopbackAddress()).setupTime(Duration.ofSeconds(2));
        Node n = null;
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (n == null) {
            try {
                n = Node.start(name, options);
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.net.BindException) || System.nanoTime() - end > 0) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(50); // a retry interval, not a wait for an event
            }
        }
        n.spawnRegister("echo", TestAgent.Echo::new);
        nodes.add(n);
        return n;
    }

    @Test
    void parsesNamesAndPorts() {
        assertThat(StaticDiscovery.parse(List.of("a@h1", " b@10.0.0.2=9100 ", "c@::1=9101", "")).peers())
                .containsExactly(Peer.of("a@h1"), new Peer("b@10.0.0.2", null, 9100), new Peer("c@::1", null, 9101));
        assertThatThrownBy(() -> StaticDiscovery.parse(List.of("a@h=x"))).hasMessageContaining("not a number");
        assertThatThrownBy(() -> StaticDiscovery.parse(List.of("a@h=0"))).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> StaticDiscovery.parse(List.of("nohost"))).hasMessageContaining("alive@host");
    }

    @Test
    void connectsToPeersThatComeLaterAndReconnectsAfterARestart() throws Exception {
        int pa = LocalProgram.freePort();
        int pb = LocalProgram.freePort();
        int pc = LocalProgram.freePort();
        StaticDiscovery list = StaticDiscovery.parse(List.of("a@127.0.0.1=" + pa, "b@127.0.0.1=" + pb,
                "c@127.0.0.1=" + pc));
        Node a = node("a@127.0.0.1", pa);
        Membership m = Membership.start(a, list, DiscoveredNodeMain.FAST);
        List<List<Membership.Member>> seen = new CopyOnWriteArrayList<>();
        m.addListener(seen::add);
        // b and c are not up yet: listed, unreachable, retried
        assertThat(LocalProgram.await(() -> m.members().size() == 2 && m.members().stream()
                .allMatch(x -> x.state() == Membership.State.UNREACHABLE && x.failures() >= 2),
                Duration.ofSeconds(10))).as("retrying both: " + m.members()).isTrue();
        assertThat(m.members().get(0).lastFailure()).isNotBlank();

        Node b = node("b@127.0.0.1", pb);
        node("c@127.0.0.1", pc);
        assertThat(LocalProgram.await(() -> m.connected().equals(List.of("b@127.0.0.1", "c@127.0.0.1")),
                Duration.ofSeconds(10))).as("connected once they started: " + m.members()).isTrue();

        b.close();
        nodes.remove(b);
        assertThat(LocalProgram.await(() -> !m.connected().contains("b@127.0.0.1"), Duration.ofSeconds(10)))
                .isTrue();
        Node b2 = node("b@127.0.0.1", pb);
        assertThat(LocalProgram.await(() -> m.connected().contains("b@127.0.0.1"), Duration.ofSeconds(10)))
                .as("reconnected to the restarted b: " + m.members()).isTrue();
        // a's side of the connection may be up a moment before b2's: b2 sees a too, soon
        assertThat(LocalProgram.await(() -> b2.nodes().stream().anyMatch(x -> x.name().equals("a@127.0.0.1")),
                Duration.ofSeconds(10))).as("b2's nodes: " + b2.nodes()).isTrue();
        assertThat(a.<Object>call(Name.of("echo", "b@127.0.0.1"), 4L, Duration.ofSeconds(5))).isEqualTo(4L);
        assertThat(seen).as("the listener heard b go down and come back").anySatisfy(l -> assertThat(l)
                .anySatisfy(x -> assertThat(x.node() + " " + x.state()).isEqualTo("b@127.0.0.1 UNREACHABLE")));
        assertThat(LocalProgram.await(() -> seen.getLast().equals(m.members()), Duration.ofSeconds(5)))
                .as("the listener's last view is the membership's").isTrue();
    }

    @Test
    void stopsFollowingAPeerTheSourceDrops() throws Exception {
        int pa = LocalProgram.freePort();
        int pb = LocalProgram.freePort();
        List<Peer> listed = new CopyOnWriteArrayList<>(List.of(new Peer("b@127.0.0.1", null, pb),
                new Peer("gone@127.0.0.1", null, LocalProgram.freePort())));
        List<Runnable> signal = new CopyOnWriteArrayList<>();
        Discovery source = new Discovery() {
            @Override
            public void start(Node node, Runnable changed) {
                signal.add(changed);
            }

            @Override
            public Collection<Peer> peers() {
                return List.copyOf(listed);
            }
        };
        Node a = node("a@127.0.0.1", pa);
        node("b@127.0.0.1", pb);
        Membership m = Membership.start(a, source, new Membership.Settings(Duration.ofMinutes(10),
                Duration.ofMillis(100), Duration.ofSeconds(1)));
        assertThat(LocalProgram.await(() -> m.connected().equals(List.of("b@127.0.0.1")), Duration.ofSeconds(10)))
                .isTrue();

        listed.removeIf(p -> p.node().startsWith("gone@"));
        signal.get(0).run(); // no poll for ten minutes: the signal alone makes it ask
        assertThat(LocalProgram.await(() -> m.members().size() == 1, Duration.ofSeconds(10)))
                .as("the dropped peer is no longer followed: " + m.members()).isTrue();

        m.close();
        assertThat(a.nodes()).extracting(x -> x.name()).as("closing the membership leaves connections up")
                .containsExactly("b@127.0.0.1");
    }

    @Test
    void followsAnErlangNodeKilledAndRestarted() throws Exception {
        ErlangNode.assumeAvailable();
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            String erlName = "erl_static@localhost";
            Node a = Node.start("ergon_static@localhost", NodeOptions.defaults().distributed(true).cookie(COOKIE)
                    .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()));
            nodes.add(a);
            Membership m = Membership.start(a, StaticDiscovery.parse(List.of(erlName)), DiscoveredNodeMain.FAST);
            ErlangNode erl = ErlangNode.start("erl_static", COOKIE, epmd.port());
            try {
                assertThat(LocalProgram.await(() -> m.connected().equals(List.of(erlName)), Duration.ofSeconds(20)))
                        .as("connected to the Erlang node: " + m.members()).isTrue();
                erl.kill();
                assertThat(LocalProgram.await(() -> m.connected().isEmpty(), Duration.ofSeconds(20))).isTrue();
                erl = ErlangNode.start("erl_static", COOKIE, epmd.port());
                assertThat(LocalProgram.await(() -> m.connected().equals(List.of(erlName)), Duration.ofSeconds(20)))
                        .as("reconnected to the restarted Erlang node: " + m.members()).isTrue();
                assertThat(erl.eval("nodes().")).isEqualTo("[ergon_static@localhost]");
            } finally {
                erl.close();
            }
        }
    }

    @Test
    void aPeerThatStaysDownIsLoggedOnceUntilItConnects() throws Exception {
        int pb = LocalProgram.freePort();
        try (LogCapture dist = LogCapture.of(Distribution.class).atLevel(Level.INFO);
             LogCapture membership = LogCapture.of(Membership.class).atLevel(Level.INFO)) {
            Node a = node("a@127.0.0.1", LocalProgram.freePort());
            Membership m = Membership.start(a, StaticDiscovery.parse(List.of("b@127.0.0.1=" + pb)),
                    DiscoveredNodeMain.FAST);
            assertThat(LocalProgram.await(() -> m.members().stream().anyMatch(x -> x.failures() >= 5), Duration.ofSeconds(20)))
                    .isTrue();
            assertThat(mentions(dist, "b@127.0.0.1")).as("the distribution's lines: " + dist.messages()).hasSize(1);
            assertThat(mentions(membership, "cannot connect to b@127.0.0.1")).hasSize(1);

            Node b = node("b@127.0.0.1", pb);
            assertThat(LocalProgram.await(() -> m.connected().size() == 1, Duration.ofSeconds(10))).isTrue();
            b.close();
            nodes.remove(b);
            assertThat(LocalProgram.await(() -> m.members().stream().anyMatch(x -> x.failures() >= 3), Duration.ofSeconds(20)))
                    .isTrue();
            assertThat(mentions(membership, "cannot connect to b@127.0.0.1"))
                    .as("logged again after it had connected").hasSize(2);
            // the refusal once before b came and once after it went; an attempt that met b while it was closing
            // (its listener took the connection and then reset it) logs a line of its own kind
            assertThat(mentions(dist, "cannot connect to 'b@127.0.0.1': java.net.ConnectException"))
                    .as("the distribution's lines: " + dist.messages()).hasSize(2);
        }
    }

    private static List<String> mentions(LogCapture log, String text) {
        return log.messages().stream().filter(x -> x.contains(text)).toList();
    }

    @Test
    void backOffDoublesUpToItsBound() throws Exception {
        Node a = node("a@127.0.0.1", LocalProgram.freePort());
        Membership m = Membership.start(a, StaticDiscovery.parse(List.of()), new Membership.Settings(
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(1000)));
        assertThat(List.of(m.backoff(1), m.backoff(2), m.backoff(3), m.backoff(4), m.backoff(5), m.backoff(40)))
                .containsExactly(100_000_000L, 200_000_000L, 400_000_000L, 800_000_000L, 1_000_000_000L,
                        1_000_000_000L);
    }
}
