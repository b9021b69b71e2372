package io.ergon.net;

import static io.ergon.net.NamespaceCluster.ask;
import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.testing.NetNamespaces.Host;
import io.ergon.testing.NetNamespaces;
import io.ergon.testing.RunsAlone;
import io.ergon.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Ergon nodes on two namespace hosts, over TLS, joined by a slow link: 50 ms each way plus up to 20 ms of
 * jitter (a {@link io.ergon.testing.FaultProxy} on a third host that {@code b} resolves {@code c}'s name to), or a
 * {@code tbf} rate limit of 10 Mbit/s on both directions of {@code c}'s link. Calls and streams still work, in order
 * and complete; ticks (net_ticktime 2 s) do not take the connection down, busy or idle; a sender flooding the limited link is held
 * back by the busy limit, so what it has queued stays bounded. Each test prints the rates it saw ({@code FIGURE}
 * lines), the figures of the README's performance section.
 */
@RunsAlone
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MultiHostSlowLinkTest {
    @RegisterExtension
    static final NamespaceCluster.PrintOnFailure PRINT_ON_FAILURE = new NamespaceCluster.PrintOnFailure();
    static final Duration TICK = Duration.ofSeconds(2);
    static final Duration WAIT = Duration.ofSeconds(60);
    static final long BUSY_LIMIT = 1L << 20;

    @BeforeAll
    static void usable() {
        NetNamespaces.assumeUsable();
        io.ergon.testkit.TestPki.assumeAvailable();
    }

    @Test
    void callsAndStreamsWorkOverFiftyMillisecondsEachWayWithJitterAndTicksHoldTheConnection(@TempDir Path dir)
            throws Exception {
        try (NamespaceCluster cluster = NamespaceCluster.create(dir, "b.ergon.test", "c.ergon.test", "p.ergon.test")) {
            Host hostB = cluster.host("b.ergon.test");
            Host hostC = cluster.host("c.ergon.test");
            Host hostP = cluster.host("p.ergon.test");
            cluster.startProxy(hostP, hostC, Duration.ofMillis(50), Duration.ofMillis(20));
            ChildJvm c = cluster.startErgon(hostC, "ergon_c", TICK, cluster.optFile(hostC));
            cluster.net.resolveOn(hostB, hostC.name(), hostP.address());
            ChildJvm b = cluster.startErgon(hostB, "ergon_b", TICK, cluster.optFile(hostB), BUSY_LIMIT);
            String nameC = "ergon_c@" + hostC.name();
            long start = System.nanoTime();
            assertThat(ask(b, "connect " + nameC, WAIT, "CONNECTED", "NOT_CONNECTED")).isEqualTo("CONNECTED " + nameC);

            Map<String, Long> one = fields(ask(b, "calls " + nameC + " 2000 1", WAIT, "CALLS"), "count", "ms");
            // every call crossed the proxy both ways: 100 ms at least (a lower bound is the point here)
            assertThat(one.get("count")).isPositive();
            assertThat(one.get("ms") / one.get("count")).as("ms per call").isGreaterThanOrEqualTo(100);
            Map<String, Long> many = fields(ask(b, "calls " + nameC + " 2000 64", WAIT, "CALLS"), "count", "ms");
            assertThat(many.get("count")).isGreaterThan(one.get("count"));
            Map<String, Long> stream = fields(ask(b, "stream " + nameC + " 100000", WAIT, "STREAM"), "count", "ms");
            assertThat(b.lines()).contains("STREAM " + stream.get("count") + " " + stream.get("ms") + " in_order");

            // then three tick times with nothing but ticks on the slow link: no side takes the connection down
            int idleFrom = b.lines().size();
            assertThat(b.lineWithin(idleFrom, l -> l.startsWith("NODEDOWN"), TICK.multipliedBy(3))).isEmpty();
            assertThat(ask(b, "calls " + nameC + " 500 1", WAIT, "CALLS")).doesNotStartWith("CALLS 0 ");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(TICK.multipliedBy(3));
            assertThat(b.lines()).noneMatch(l -> l.startsWith("NODEDOWN"));
            assertThat(c.lines()).noneMatch(l -> l.startsWith("NODEDOWN"));
            System.out.printf("FIGURE 50ms+20ms jitter each way, TLS: calls, 1 caller %.1f/s; 64 callers %.0f/s; "
                    + "stream %.0f msg/s%n", rate(one), rate(many), rate(stream));
        }
    }

    @Test
    void aRateLimitedLinkLosesAndReordersNothingAndHoldsAFloodingSenderBack(@TempDir Path dir) throws Exception {
        try (NamespaceCluster cluster = NamespaceCluster.create(dir, "b.ergon.test", "c.ergon.test")) {
            Host hostB = cluster.host("b.ergon.test");
            Host hostC = cluster.host("c.ergon.test");
            cluster.net.limitRate(hostC, "10mbit", 32 * 1024, "100ms");
            ChildJvm c = cluster.startErgon(hostC, "ergon_c", TICK, cluster.optFile(hostC));
            ChildJvm b = cluster.startErgon(hostB, "ergon_b", TICK, cluster.optFile(hostB), BUSY_LIMIT);
            String nameC = "ergon_c@" + hostC.name();
            assertThat(ask(b, "connect " + nameC, WAIT, "CONNECTED", "NOT_CONNECTED")).isEqualTo("CONNECTED " + nameC);

            Map<String, Long> stream = fields(ask(b, "stream " + nameC + " 50000", WAIT, "STREAM"), "count", "ms");
            assertThat(b.lines()).contains("STREAM " + stream.get("count") + " " + stream.get("ms") + " in_order");
            Map<String, Long> one = fields(ask(b, "calls " + nameC + " 2000 1", WAIT, "CALLS"), "count", "ms");
            Map<String, Long> many = fields(ask(b, "calls " + nameC + " 2000 64", WAIT, "CALLS"), "count", "ms");
            assertThat(one.get("count")).isPositive();
            assertThat(many.get("count")).isPositive();

            // a sender that sends 1 KiB messages as fast as it may for 3 s
            int size = 1024;
            String flood = ask(b, "flood " + nameC + " 3000 " + size, WAIT, "FLOOD");
            Map<String, Long> f = keyed(flood);
            System.out.println("b: " + flood);
            // it had to wait (the connection was busy) ...
            assertThat(f.get("busy_waits")).isPositive();
            // ... so what it queued never went far past the busy limit ...
            assertThat(f.get("queued_max") * size).isLessThanOrEqualTo(BUSY_LIMIT + 64L * size);
            // ... and what it sent is what the link carried plus the buffers, not what a free sender makes in 3 s
            assertThat(f.get("sent") * size).isLessThan(16L << 20);
            // the flood did meet the limit on its way in to c
            String in = cluster.net.qdiscStats(hostC).split("in: ")[1];
            java.util.regex.Matcher over = java.util.regex.Pattern.compile("overlimits (\\d+)").matcher(in);
            assertThat(in).contains("tbf");
            assertThat(over.find() && Long.parseLong(over.group(1)) > 0).as("overlimits in: %s", in).isTrue();

            // the link still carries everything, in order, once the backlog is through
            assertThat(ask(b, "stream " + nameC + " 20000", WAIT, "STREAM")).endsWith(" in_order");
            assertThat(b.lines()).noneMatch(l -> l.startsWith("NODEDOWN"));
            assertThat(c.lines()).noneMatch(l -> l.startsWith("NODEDOWN"));
            System.out.printf("FIGURE tbf 10 Mbit/s each way, TLS: calls, 1 caller %.0f/s; 64 callers %.0f/s; "
                    + "stream %.0f msg/s; flood of 1 KiB messages %.2f MB/s%n", rate(one), rate(many), rate(stream),
                    f.get("sent") * size / 1e6 / (f.get("elapsed_ms") / 1000.0));
        }
    }

    /** {@code WORD N MS ...}: the two numbers after the word, under the given keys. */
    static Map<String, Long> fields(String line, String first, String second) {
        String[] parts = line.split(" ");
        return Map.of(first, Long.parseLong(parts[1]), second, Long.parseLong(parts[2]));
    }

    /** {@code WORD key=N key=N ...} as a map. */
    static Map<String, Long> keyed(String line) {
        Map<String, Long> m = new HashMap<>();
        for (String part : line.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
            }
        }
        return m;
    }

    static double rate(Map<String, Long> countAndMillis) {
        return countAndMillis.get("count") * 1000.0 / Math.max(1, countAndMillis.get("ms"));
    }
}
