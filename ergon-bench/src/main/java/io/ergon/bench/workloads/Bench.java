package io.ergon.bench.workloads;

import io.ergon.bench.pekko.PekkoSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Runs one local workload on one system in this JVM and prints its figures as the suite's result lines:
 * {@code RESULT|workload|system|unit|v1,v2,...}, the measured runs only (the warm-up runs come first and are left
 * out). Usage: {@code Bench ergon|ergon-callerruns|ergon-threads|pekko WORKLOAD RUNS WARMUPS}; {@code ergon-callerruns} is
 * Ergon with the call workloads' echo server declaring {@code callerRuns()}, {@code ergon-threads} Ergon with plain
 * threads as the call workloads' clients. Exits non-zero if a run fails its checks.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: Bench ergon|ergon-callerruns|ergon-threads|pekko WORKLOAD RUNS WARMUPS");
            System.exit(2);
        }
        String systemName = args[0];
        Workload workload = Workload.byId(args[1]);
        int runs = Integer.parseInt(args[2]);
        int warmups = Integer.parseInt(args[3]);
        List<List<Double>> figures = new ArrayList<>();
        try (LocalSystem system = switch (systemName) {
            case "ergon" -> new ErgonSystem(false);
            case "ergon-callerruns" -> new ErgonSystem(true);
            case "ergon-threads" -> new ErgonSystem(false, true);
            case "pekko" -> new PekkoSystem();
            default -> throw new IllegalArgumentException("no system " + systemName);
        }) {
            for (int i = 0; i < warmups + runs; i++) {
                List<Double> f = workload.runOnce(system);
                System.err.printf(Locale.ROOT, "%s %s %s %s%n", systemName, workload.id(),
                        i < warmups ? "warm-up" : "run", f);
                if (i >= warmups) {
                    figures.add(f);
                }
            }
        }
        print(workload.id(), systemName, workload.unit(), figures, 0);
        if (workload == Workload.SPAWN) {
            print(Workload.SPAWN_MEMORY, systemName, "B/process", figures, 1);
        }
        System.exit(0);
    }

    static void print(String id, String system, String unit, List<List<Double>> figures, int index) {
        System.out.println("RESULT|" + id + "|" + system + "|" + unit + "|" + figures.stream()
                .map(f -> String.format(Locale.ROOT, "%.1f", f.get(index))).collect(Collectors.joining(",")));
    }
}
