package io.ergon.bench.pool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One server against a pool, Ergon's and Pekko's, in one JVM: for each work size (microseconds of CPU per request),
 * {@code clients} callers share the calls; the systems take turns, round after round, so the machine's noise falls on
 * all alike. Prints the raw figures as they come, then a Markdown table of medians (calls/s) with Ergon's pool beside
 * Pekko's routers.
 *
 * <p>Usage: {@code PoolBench ROUNDS WARMUPS CLIENTS WORKERS MICROS[,MICROS...]}.
 */
public final class PoolBench {
    private static final List<String> ERGON = List.of("single", "pool-rr", "pool-lb");
    private static final List<String> PEKKO = List.of("single", "pool-rr", "pool-lb", "pool-balancing");

    private PoolBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: PoolBench ROUNDS WARMUPS CLIENTS WORKERS MICROS[,MICROS...]");
            System.exit(2);
        }
        int rounds = Integer.parseInt(args[0]);
        int warmups = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        int workers = Integer.parseInt(args[3]);
        Map<String, List<Double>> figures = new LinkedHashMap<>();
        try (ErgonPools ergon = new ErgonPools(); PekkoPools pekko = new PekkoPools()) {
            for (String m : args[4].split(",")) {
                int micros = Integer.parseInt(m);
                // enough calls for ~1 s of the single server's time at this work size, at least 200k without work
                int total = micros == 0 ? 200_000 : Math.max(4_000, 1_000_000 / micros);
                total -= total % clients;
                for (int r = 0; r < warmups + rounds; r++) {
                    for (String t : ERGON) {
                        record(figures, r >= warmups, "ergon " + t, micros, ergon.run(t, workers, clients, total,
                                micros));
                    }
                    for (String t : PEKKO) {
                        record(figures, r >= warmups, "pekko " + t, micros, pekko.run(t, workers, clients, total,
                                micros));
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n%d callers, %d workers in a pool; %d rounds after %d warm-up; medians, "
                + "calls/s%n%n| work per call | system | target | median | runs |%n|---|---|---|---:|---|%n",
                clients, workers, rounds, warmups);
        figures.forEach((key, values) -> {
            String[] k = key.split(" ");
            System.out.printf(Locale.ROOT, "| %s µs | %s | %s | %,.0f | %s |%n", k[2], k[0], k[1], median(values),
                    values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
        });
        System.exit(0);
    }

    private static void record(Map<String, List<Double>> figures, boolean measured, String system, int micros,
            double rate) {
        System.err.printf(Locale.ROOT, "%s %d µs %s %.0f calls/s%n", system, micros, measured ? "run" : "warm-up",
                rate);
        if (measured) {
            figures.computeIfAbsent(system + " " + micros, k -> new ArrayList<>()).add(rate);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
