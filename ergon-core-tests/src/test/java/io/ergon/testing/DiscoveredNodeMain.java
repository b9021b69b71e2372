package io.ergon.testing;

import io.ergon.net.discovery.EtcdDiscovery;
import io.ergon.net.discovery.Membership;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.testkit.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;

/**
 * A node in a JVM of its own that finds its peers through etcd: {@code DiscoveredNodeMain NAME COOKIE PORT ETCD_URL
 * PREFIX TTL_SECONDS} starts a node without EPMD on {@code PORT} (loopback) with {@code echo} registered, registers it
 * under {@code PREFIX} and follows the other nodes there, prints {@code READY}, and runs until its stdin closes.
 */
public final class DiscoveredNodeMain {
    /** A membership that asks every second and retries a peer after 100 ms, doubling to 1 s: quick tests. */
    public static final Membership.Settings FAST = new Membership.Settings(Duration.ofSeconds(1),
            Duration.ofMillis(100), Duration.ofSeconds(1));

    private DiscoveredNodeMain() {
    }

    public static void main(String[] args) throws IOException {
        NodeOptions options = NodeOptions.defaults().distributed(true).cookie(args[1])
                .epmdless(Integer.parseInt(args[2])).listenAddress(InetAddress.getLoopbackAddress());
        try (Node node = Node.start(args[0], options)) {
            node.spawnRegister("echo", TestAgent.Echo::new);
            Membership.start(node, EtcdDiscovery.of(URI.create(args[3]), args[4])
                    .ttl(Duration.ofSeconds(Long.parseLong(args[5]))), FAST);
            System.out.println("READY " + node.name());
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until the parent closes our stdin
            }
        }
        System.exit(0);
    }

    /** Starts one in a child JVM and waits for it to be ready; the caller kills it. */
    public static ChildJvm launch(String... args) throws IOException {
        return ChildJvm.start(DiscoveredNodeMain.class, Duration.ofSeconds(30), args);
    }
}
