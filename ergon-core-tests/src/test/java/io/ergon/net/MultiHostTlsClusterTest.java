package io.ergon.net;

import static io.ergon.net.NamespaceCluster.ask;
import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.testing.NetNamespaces.Host;
import io.ergon.testing.RunsAlone;
import io.ergon.testkit.ChildJvm;
import io.ergon.testkit.ErlangNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three hosts, each a network namespace with its own address and hostname: an Erlang node on {@code a}, Ergon nodes
 * on {@code b} and {@code c} (a JVM each), all over TLS with mutual authentication, without EPMD on one shared port.
 * From {@code b}, the messaging and fault-tolerance contracts pass against {@code c} and (fault tolerance, calls and
 * messages both ways) against the Erlang node. A node on a fourth host whose certificate is not from the cluster's
 * CA cannot connect to either, and both refusals are logged.
 */
@RunsAlone
@Tag("erlang")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MultiHostTlsClusterTest {
    @RegisterExtension
    static final NamespaceCluster.PrintOnFailure PRINT_ON_FAILURE = new NamespaceCluster.PrintOnFailure();
    static final Duration TICK = Duration.ofSeconds(60);
    @TempDir
    static Path dir;
    static NamespaceCluster cluster;
    static ErlangNode erl;
    static ChildJvm b;
    static ChildJvm c;
    static Host hostA;
    static Host hostB;
    static Host hostC;
    static Host hostD;

    @BeforeAll
    static void start() throws Exception {
        NamespaceCluster.assumeAvailable();
        cluster = NamespaceCluster.create(dir, "a.ergon.test", "b.ergon.test", "c.ergon.test", "d.ergon.test");
        hostA = cluster.host("a.ergon.test");
        hostB = cluster.host("b.ergon.test");
        hostC = cluster.host("c.ergon.test");
        hostD = cluster.host("d.ergon.test");
        erl = cluster.startErlang(hostA, "erl_a", (int) TICK.toSeconds());
        erl.loadResource("ergon_ft");
        b = cluster.startErgon(hostB, "ergon_b", TICK, cluster.optFile(hostB));
        c = cluster.startErgon(hostC, "ergon_c", TICK, cluster.optFile(hostC));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static String name(String alive, Host host) {
        return alive + "@" + host.name();
    }

    @Test
    void theContractsPassAcrossTheHostsOverTls() {
        String ergonC = name("ergon_c", hostC);
        String erlA = erl.name();
        assertThat(ask(b, "connect " + erlA, Duration.ofSeconds(30), "CONNECTED", "NOT_CONNECTED"))
                .isEqualTo("CONNECTED " + erlA);
        assertThat(ask(b, "connect " + ergonC, Duration.ofSeconds(30), "CONNECTED", "NOT_CONNECTED"))
                .isEqualTo("CONNECTED " + ergonC);
        // the Erlang node reaches c by name and over TLS too, and so joins the three into a full mesh
        assertThat(erl.eval("net_adm:ping('" + ergonC + "').")).isEqualTo("pong");

        int from = b.lines().size();
        String verdict = ask(b, "contracts " + ergonC + " " + erlA, Duration.ofMinutes(4), "CONTRACTS ",
                "COMMAND_FAILED");
        System.out.println("b: " + verdict);
        assertThat(b.lines().subList(from, b.lines().size())).noneMatch(l -> l.startsWith("CONTRACT_FAILED"));
        String[] counts = verdict.split(" ");
        assertThat(verdict).startsWith("CONTRACTS ");
        // every test of the four contract classes ran (6 + 12 + 10 + 3), none failed
        assertThat(Long.parseLong(counts[1])).isGreaterThanOrEqualTo(31);
        assertThat(counts[2]).isEqualTo("0");
    }

    @Test
    void aNodeWhoseCertificateIsNotFromTheClusterCaCannotConnectAndTheRefusalIsLogged() throws Exception {
        String ergonB = name("ergon_b", hostB);
        try (ChildJvm d = cluster.startErgon(hostD, "ergon_d", TICK, cluster.untrustedOptFile(hostD))) {
            int bFrom = b.lines().size();
            String refused = ask(d, "connect " + ergonB, Duration.ofSeconds(30), "CONNECTED", "NOT_CONNECTED");
            assertThat(refused).startsWith("NOT_CONNECTED " + ergonB);
            // b, which accepted the TCP connection, logs why it refused it, naming the peer's address
            String logged = b.awaitLine(bFrom, l -> l.contains("refused a connection from"), Duration.ofSeconds(10));
            System.out.println("b logged: " + logged + "\nd said: " + refused);
            assertThat(logged).contains("WARN").contains(hostD.address());
            assertThat(logged.toLowerCase(java.util.Locale.ROOT)).containsAnyOf("certificate", "certification",
                    "pkix", "unknown_ca", "unknown ca");
            assertThat(ask(b, "connect " + name("ergon_d", hostD), Duration.ofSeconds(30), "CONNECTED",
                    "NOT_CONNECTED")).startsWith("NOT_CONNECTED");

            // the Erlang node refuses it too
            String erlA = erl.name();
            assertThat(ask(d, "connect " + erlA, Duration.ofSeconds(30), "CONNECTED", "NOT_CONNECTED"))
                    .startsWith("NOT_CONNECTED " + erlA);
            assertThat(erl.eval("net_adm:ping('" + name("ergon_d", hostD) + "').")).isEqualTo("pang");
            assertThat(erl.eval("lists:member('" + name("ergon_d", hostD) + "', nodes()).")).isEqualTo("false");
        }
    }
}
