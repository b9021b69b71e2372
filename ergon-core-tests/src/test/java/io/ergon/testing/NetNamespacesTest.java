package io.ergon.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.testing.NetNamespaces.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The multi-host harness itself: hosts resolve each other by name, reach each other, are cut off by a partition and
 * back after the heal, take a rate limit, and leave nothing behind when closed.
 */
class NetNamespacesTest {
    @BeforeAll
    static void usable() {
        NetNamespaces.assumeUsable();
    }

    /** What a TCP connect from {@code from} to port 9 of {@code to} says: a reset comes back only when reachable. */
    static String connect(NetNamespaces net, Host from, String to) throws Exception {
        return net.run(from, Duration.ofSeconds(10), "timeout", "2", "bash", "-c", "echo > /dev/tcp/" + to + "/9")
                .output();
    }

    @Test
    void hostsResolveReachPartitionHealAndAreRemoved() throws Exception {
        Host a;
        Host b;
        try (NetNamespaces net = NetNamespaces.create("host-a", "host-b")) {
            a = net.host("host-a");
            b = net.host("host-b");
            assertThat(net.run(a, Duration.ofSeconds(10), "getent", "hosts", "host-b").output())
                    .startsWith(b.address() + " ");
            assertThat(Files.readString(net.hostsFile())).contains(a.address() + " host-a");
            assertThat(connect(net, a, "host-b")).contains("refused");

            net.partition(b);
            assertThat(connect(net, a, "host-b")).doesNotContain("refused");
            net.heal(b);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> connect(net, a, "host-b").contains("refused"));

            net.limitRate(b, "1mbit", 16_000, "100ms");
            assertThat(net.qdiscStats(b)).contains("tbf").contains("rate 1Mbit");
            net.clearRate(b);
            assertThat(net.qdiscStats(b)).doesNotContain("tbf");

            Process sleeper = net.start(a, java.util.List.of("sleep", "600"), java.util.Map.of());
            assertThat(sleeper.isAlive()).isTrue();
            net.close();
            assertThat(sleeper.isAlive()).isFalse();
        }
        String left = new ProcessBuilder("ip", "netns", "list").start().inputReader().lines()
                .reduce("", (x, y) -> x + y + "\n");
        assertThat(left).doesNotContain(a.namespace()).doesNotContain(b.namespace());
        assertThat(Path.of("/etc/netns", a.namespace())).doesNotExist();
    }
}
