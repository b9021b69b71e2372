package io.ergon.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ergon.gen.ChildSpec;
import io.ergon.gen.GenServer;
import io.ergon.gen.Restart;
import io.ergon.gen.Strategy;
import io.ergon.gen.Supervisor;
import io.ergon.net.EpmdServer;
import io.ergon.node.Actor;
import io.ergon.node.CallException;
import io.ergon.node.CallTimeoutException;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import io.ergon.term.TermFormat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each meter of {@link ErgonMetrics} moves as the runtime does, against a {@link SimpleMeterRegistry}. */
class ErgonMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private Node node(String name) {
        Node n = Node.start(name);
        toClose.add(n);
        return n;
    }

    private ErgonMetrics bind(ErgonMetrics.Builder b) {
        ErgonMetrics m = b.build();
        m.bindTo(registry);
        toClose.add(m);
        return m;
    }

    /** Answers calls; crashes on "crash"; never answers "hang". */
    static final class Server extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            if ("crash".equals(request)) {
                throw new IllegalStateException("asked to crash");
            }
            return "hang".equals(request) ? noReply() : request;
        }
    }

    private double counter(String name, Node node) {
        return registry.get(name).tag("node", node.name().name()).functionCounter().count();
    }

    private double gauge(String name, Node node) {
        return registry.get(name).tag("node", node.name().name()).gauge().value();
    }

    @Test
    void processesSpawnsExitsCrashesAndMessagesMoveWithTheRuntime() {
        Node node = node("metrics_counts@localhost");
        bind(ErgonMetrics.builder(node).tags(Tags.of("app", "test")));
        double processes = gauge(ErgonMetrics.PROCESSES, node);
        double spawned = counter(ErgonMetrics.SPAWNED, node);
        assertThat(registry.get(ErgonMetrics.PROCESSES).tag("app", "test").gauge()).isNotNull();

        List<Pid> pids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pids.add(node.spawn(Server::new));
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(gauge(ErgonMetrics.PROCESSES, node) - processes).isEqualTo(12);
            assertThat(counter(ErgonMetrics.SPAWNED, node) - spawned).isEqualTo(12);
        });

        double messages = counter(ErgonMetrics.MESSAGES_HANDLED, node);
        for (Pid p : pids) {
            assertThat(node.<Object>call(p, "hi")).isEqualTo("hi");
        }
        node.exit(pids.get(0), Reasons.SHUTDOWN);
        assertThatThrownBy(() -> node.call(pids.get(1), "crash")).isInstanceOf(CallException.class);
        await().atMost(WAIT).untilAsserted(() -> {
            // 12 requests handled by the servers, 12 replies received by the calling mailbox, the crashing call
            assertThat(counter(ErgonMetrics.MESSAGES_HANDLED, node) - messages).isGreaterThanOrEqualTo(25);
            assertThat(counter(ErgonMetrics.EXITED, node)).isEqualTo(2);
            assertThat(counter(ErgonMetrics.CRASHED, node)).isEqualTo(1);
            assertThat(gauge(ErgonMetrics.PROCESSES, node) - processes).isEqualTo(10);
        });
    }

    @Test
    void aCrashedChildCountsAsACrashAndARestartOfItsSupervisor() {
        Node node = node("metrics_restarts@localhost");
        bind(ErgonMetrics.builder(node));
        Supervisor.start(node, "metrics_sup", Supervisor.spec(Strategy.ONE_FOR_ONE)
                .intensity(10, Duration.ofSeconds(10))
                .child(ChildSpec.worker("db", Server::new).register("db").restart(Restart.PERMANENT)));
        Pid first = node.whereis("db");
        assertThatThrownBy(() -> node.call("db", "crash")).isInstanceOf(CallException.class);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(counter(ErgonMetrics.CRASHED, node)).isEqualTo(1);
            assertThat(registry.get(ErgonMetrics.SUPERVISOR_RESTARTS).tags("node", node.name().name(),
                    "supervisor", "metrics_sup", "child", "db").counter().count()).isEqualTo(1);
            assertThat(node.whereis("db")).isNotNull().isNotEqualTo(first);
        });
    }

    @Test
    void aGrowingMailboxAppearsInTheTopAndGoesWhenItEmpties() throws InterruptedException {
        Node node = node("metrics_mailboxes@localhost");
        bind(ErgonMetrics.builder(node).topMailboxes(2).samplePeriod(Duration.ofMillis(50)));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        Pid stuck = node.spawnRegister("stuck", () -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                holding.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try {
            node.send(stuck, "first");
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            String pid = TermFormat.format(stuck);
            for (int i = 1; i <= 40; i++) {
                node.send(stuck, i);
                if (i % 20 == 0) {
                    int expected = i;
                    await().atMost(WAIT).untilAsserted(() -> assertThat(registry.find(ErgonMetrics.MAILBOX_DEPTH)
                            .tags("pid", pid, "name", "stuck").gauge()).isNotNull()
                            .extracting(Gauge::value).isEqualTo((double) expected));
                }
            }
            assertThat(registry.find(ErgonMetrics.MAILBOX_DEPTH).gauges()).hasSizeLessThanOrEqualTo(2);
        } finally {
            release.countDown();
        }
        // emptied: its gauge is removed, not left at its last value
        await().atMost(WAIT).until(() -> registry.find(ErgonMetrics.MAILBOX_DEPTH).gauges().isEmpty());
    }

    @Test
    void callsAreTimedByOutcome() {
        Node node = node("metrics_calls@localhost");
        bind(ErgonMetrics.builder(node));
        Pid server = node.spawn(Server::new);
        for (int i = 0; i < 5; i++) {
            node.call(server, i);
        }
        assertThatThrownBy(() -> node.call(server, "hang", Duration.ofMillis(50)))
                .isInstanceOf(CallTimeoutException.class);
        assertThatThrownBy(() -> node.call(server, "crash")).isInstanceOf(CallException.class);
        Timer ok = registry.get(ErgonMetrics.CALLS).tags("outcome", "ok").timer();
        assertThat(ok.count()).isEqualTo(5);
        assertThat(ok.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(ok.max(TimeUnit.NANOSECONDS)).isPositive();
        Timer timeout = registry.get(ErgonMetrics.CALLS).tags("outcome", "timeout").timer();
        assertThat(timeout.count()).isEqualTo(1);
        assertThat(timeout.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(50);
        assertThat(registry.get(ErgonMetrics.CALLS).tags("outcome", "error").timer().count()).isEqualTo(1);
    }

    @Test
    void withoutCallTimingNoCallIsTimed() {
        Node node = node("metrics_untimed@localhost");
        bind(ErgonMetrics.builder(node).timeCalls(false));
        node.call(node.spawn(Server::new), "x");
        assertThat(registry.get(ErgonMetrics.CALLS).tags("outcome", "ok").timer().count()).isZero();
    }

    @Test
    void closeRemovesEveryMeterAndStopsCounting() {
        Node node = node("metrics_close@localhost");
        ErgonMetrics metrics = ErgonMetrics.bindTo(node, registry);
        assertThat(meters(node)).isNotEmpty();
        assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry())).isInstanceOf(IllegalStateException.class);
        metrics.close();
        metrics.close();
        assertThat(meters(node)).isEmpty();
        node.call(node.spawn(Server::new), "x");
        assertThat(meters(node)).isEmpty();
    }

    private List<Meter> meters(Node node) {
        return registry.getMeters().stream()
                .filter(m -> node.name().name().equals(m.getId().getTag("node"))).toList();
    }

    @Test
    void twoNodesCountTheirTrafficAndSeeTheConnectionGoDown() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        EpmdServer epmd = EpmdServer.start(loopback, 0);
        toClose.add(epmd);
        NodeOptions o = NodeOptions.defaults().distributed(true).cookie("metrics").epmdPort(epmd.port())
                .listenAddress(loopback);
        // a hidden, so that global does not sync the two: its lock's release, still under way after the disconnect
        // below, connects the nodes again (as Erlang's multi_call does) and the state goes back to up
        Node a = Node.start("metrics_a@localhost", o.hidden(true));
        toClose.add(a);
        Node b = Node.start("metrics_b@localhost", o);
        toClose.add(b);
        bind(ErgonMetrics.builder(a).samplePeriod(Duration.ofMillis(50)));
        bind(ErgonMetrics.builder(b).samplePeriod(Duration.ofMillis(50)));
        b.spawnRegister("echo", Server::new);
        Name echo = Name.of("echo", "metrics_b@localhost");
        assertThat(a.callAs(echo, "first", String.class)).isEqualTo("first");

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(peerGauge(ErgonMetrics.CONNECTION_STATE, a, b)).isEqualTo(2.0);
            assertThat(peerGauge(ErgonMetrics.CONNECTION_STATE, b, a)).isEqualTo(2.0);
        });
        double bytesOut = peerCounter(ErgonMetrics.CONNECTION_BYTES_OUT, a, b);
        double messagesOut = peerCounter(ErgonMetrics.CONNECTION_MESSAGES_OUT, a, b);
        double bytesIn = peerCounter(ErgonMetrics.CONNECTION_BYTES_IN, b, a);
        double messagesIn = peerCounter(ErgonMetrics.CONNECTION_MESSAGES_IN, b, a);
        String payload = "x".repeat(2000);
        for (int i = 0; i < 10; i++) {
            assertThat(a.callAs(echo, payload, String.class)).isEqualTo(payload);
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(peerCounter(ErgonMetrics.CONNECTION_BYTES_OUT, a, b) - bytesOut).isGreaterThan(20_000);
            assertThat(peerCounter(ErgonMetrics.CONNECTION_MESSAGES_OUT, a, b) - messagesOut)
                    .isGreaterThanOrEqualTo(10);
            assertThat(peerCounter(ErgonMetrics.CONNECTION_BYTES_IN, b, a) - bytesIn).isGreaterThan(20_000);
            assertThat(peerCounter(ErgonMetrics.CONNECTION_MESSAGES_IN, b, a) - messagesIn).isGreaterThanOrEqualTo(10);
            // the replies: out of b, into a
            assertThat(peerCounter(ErgonMetrics.CONNECTION_BYTES_IN, a, b)).isGreaterThan(20_000);
            assertThat(peerCounter(ErgonMetrics.CONNECTION_MESSAGES_OUT, b, a)).isGreaterThanOrEqualTo(10);
        });
        assertThat(peerCounter(ErgonMetrics.CONNECTION_BUSY_WAITS, a, b)).isZero();

        double before = peerCounter(ErgonMetrics.CONNECTION_BYTES_OUT, a, b);
        assertThat(a.disconnect("metrics_b@localhost")).isTrue();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(peerGauge(ErgonMetrics.CONNECTION_STATE, a, b)).isEqualTo(0.0);
            assertThat(peerGauge(ErgonMetrics.CONNECTION_STATE, b, a)).isEqualTo(0.0);
        });
        // the counts of a peer that went down stay (a counter never goes back)
        assertThat(peerCounter(ErgonMetrics.CONNECTION_BYTES_OUT, a, b)).isGreaterThanOrEqualTo(before);
    }

    private double peerGauge(String name, Node node, Node peer) {
        return peerSearch(name, node, peer).gauge().value();
    }

    private double peerCounter(String name, Node node, Node peer) {
        return peerSearch(name, node, peer).functionCounter().count();
    }

    private io.micrometer.core.instrument.search.RequiredSearch peerSearch(String name, Node node, Node peer) {
        return registry.get(name).tags("node", node.name().name(), "peer", peer.name().name());
    }

    @Test
    void theBuilderRefusesNonsense() {
        Node node = node("metrics_builder@localhost");
        assertThatThrownBy(() -> ErgonMetrics.builder(node).topMailboxes(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErgonMetrics.builder(node).topMailboxes(1001))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErgonMetrics.builder(node).samplePeriod(Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        MeterRegistry other = new SimpleMeterRegistry();
        ErgonMetrics noMailboxes = ErgonMetrics.builder(node).topMailboxes(0).build();
        noMailboxes.bindTo(other);
        noMailboxes.sampleNow();
        noMailboxes.close();
        assertThat(other.getMeters()).isEmpty();
    }
}
