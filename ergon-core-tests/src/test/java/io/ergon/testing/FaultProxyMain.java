package io.ergon.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A {@link FaultProxy} in a JVM of its own, to put on a namespace host between two others:
 * {@code FaultProxyMain LISTEN_HOST PORT TARGET_HOST TARGET_PORT LATENCY_MS JITTER_MS} forwards connections to the
 * target with that latency plus up to that jitter each way, prints {@code READY}, and runs until its stdin closes.
 */
public final class FaultProxyMain {
    private FaultProxyMain() {
    }

    public static void main(String[] args) throws IOException {
        InetSocketAddress listen = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(args[2]), Integer.parseInt(args[3]));
        Duration latency = Duration.ofMillis(Long.parseLong(args[4]));
        Duration jitter = Duration.ofMillis(Long.parseLong(args[5]));
        try (FaultProxy proxy = FaultProxy.start(listen, target, 16, 42)) {
            proxy.latency(FaultProxy.Direction.UPSTREAM, latency, jitter)
                    .latency(FaultProxy.Direction.DOWNSTREAM, latency, jitter);
            System.out.println("READY " + listen + " -> " + target);
            while (System.in.read() >= 0) {
                // run until the parent closes our stdin
            }
            System.out.println("ACCEPTED " + proxy.accepted());
        }
        System.exit(0);
    }
}
