package io.ergon.testing.soak;

import io.ergon.testing.FaultProxy.Direction;
import io.ergon.testing.FaultProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The soak run's fault proxies in a JVM of their own, so that they can run in a network namespace of the run:
 * {@code SoakProxyMain SEED LISTEN_HOST:PORT=TARGET_HOST:PORT ...} starts one {@link FaultProxy} per argument
 * (numbered from 0), prints nothing until asked, and obeys one command a line, answering as
 * {@link io.ergon.testing.ErlangNode}'s line protocol does: {@code node().}, {@code latency I DIR MS JITTER_MS},
 * {@code stall I DIR}, {@code bandwidth I DIR BYTES_PER_S}, {@code reset I}, {@code heal I} ({@code DIR} is
 * {@code up}, {@code down} or {@code both}). It closes every proxy when its standard input closes.
 */
public final class SoakProxyMain {
    private SoakProxyMain() {
    }

    public static void main(String[] args) throws IOException {
        long seed = Long.parseLong(args[0]);
        List<FaultProxy> proxies = new ArrayList<>();
        try {
            for (int i = 1; i < args.length; i++) {
                String[] ends = args[i].split("=");
                proxies.add(FaultProxy.start(address(ends[0]), address(ends[1]), 256, seed + i));
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String answer;
                try {
                    answer = "@@ok " + obey(proxies, line.strip().replaceAll("\\.$", "").split("\\s+"));
                } catch (RuntimeException e) {
                    answer = "@@error error:'" + e + "'";
                }
                System.out.println(answer);
                System.out.flush();
            }
        } finally {
            proxies.forEach(FaultProxy::close);
        }
        System.exit(0);
    }

    private static Object obey(List<FaultProxy> proxies, String[] w) {
        if (w[0].equals("node()")) {
            return "proxy";
        }
        FaultProxy p = proxies.get(Integer.parseInt(w[1]));
        switch (w[0]) {
            case "latency" -> directions(w[2]).forEach(d -> p.latency(d, Duration.ofMillis(Long.parseLong(w[3])),
                    Duration.ofMillis(Long.parseLong(w[4]))));
            case "stall" -> directions(w[2]).forEach(d -> p.stall(d, true));
            case "bandwidth" -> directions(w[2]).forEach(d -> p.bandwidth(d, Long.parseLong(w[3])));
            case "heal" -> p.heal();
            case "reset" -> {
                return p.reset();
            }
            default -> throw new IllegalArgumentException("unknown command " + w[0]);
        }
        return "ok";
    }

    private static List<Direction> directions(String which) {
        return switch (which) {
            case "up" -> List.of(Direction.UPSTREAM);
            case "down" -> List.of(Direction.DOWNSTREAM);
            case "both" -> List.of(Direction.values());
            default -> throw new IllegalArgumentException("not a direction: " + which);
        };
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
