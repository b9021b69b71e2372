package io.ergon.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the suite's result lines into the comparison tables (Markdown): for each workload the median of each
 * system's measured runs, its spread, Ergon's ratio to each peer and whether the target is met.
 *
 * <p>Input lines: {@code RESULT|workload|system|unit|v1,v2,...}, {@code INFO|key|value} (printed as the header) and
 * {@code FAILED|workload|system|why}. Usage: {@code Report RESULTS_FILE}. A run with {@code INFO|load|busy...}
 * (bench/run.sh --busy) gets a heading and table titles that say so.
 */
public final class Report {
    /** Lower is better for these (memory); higher for every other figure. */
    private static final List<String> LOWER_IS_BETTER = List.of("spawn.mem");

    private record Figures(String unit, double[] values) {
        double median() {
            double[] v = values.clone();
            Arrays.sort(v);
            int n = v.length;
            return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        }

        /** (max - min) / median, in percent. */
        double spread() {
            double min = Arrays.stream(values).min().orElse(0);
            double max = Arrays.stream(values).max().orElse(0);
            return 100 * (max - min) / median();
        }
    }

    /** A row's target: Ergon against {@code peer}, at least (or for memory at most) {@code ratio} times. */
    private record Target(String peer, double ratio) {
    }

    /** A table row; {@code ergon} names the system whose figure fills the first column (a variant of Ergon). */
    private record Row(String id, String label, List<Target> targets, String ergon) {
        Row(String id, String label, List<Target> targets) {
            this(id, label, targets, null);
        }
    }

    private final Map<String, Map<String, Figures>> results = new LinkedHashMap<>();
    private final Map<String, String> info = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        Report r = new Report();
        r.read(Path.of(args[0]));
        System.out.print(r.render());
    }

    private void read(Path file) throws IOException {
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\\|", -1);
            switch (f[0]) {
                case "RESULT" -> {
                    if (f.length < 5 || f[4].isBlank()) {
                        failures.add(line);
                        continue;
                    }
                    double[] v = Arrays.stream(f[4].split(",")).mapToDouble(Double::parseDouble).toArray();
                    results.computeIfAbsent(f[1], k -> new LinkedHashMap<>()).put(f[2], new Figures(f[3], v));
                }
                case "INFO" -> info.put(f[1], f.length > 2 ? f[2] : "");
                case "FAILED" -> failures.add(String.join(" ", Arrays.copyOfRange(f, 1, f.length)));
                default -> { }
            }
        }
    }

    private String render() {
        StringBuilder out = new StringBuilder();
        if (busy()) {
            out.append("## Busy run: ").append(info.get("load")).append("\n\n");
        }
        info.forEach((k, v) -> out.append("- ").append(k).append(": ").append(v).append('\n'));
        out.append('\n');
        table(out, "Local workloads", List.of("ergon", "pekko", "erlang"), List.of(
                new Row("pingpong", "1. ping-pong, 1 pair × 1M round trips",
                        List.of(new Target("erlang", 1.5), new Target("pekko", 1.5))),
                new Row("pairs", "2. 1000 pairs × 1000 round trips",
                        List.of(new Target("pekko", 1.0), new Target("erlang", 2.0))),
                new Row("stream1", "3. 1 → 1, 10M messages",
                        List.of(new Target("erlang", 3.0), new Target("pekko", 3.0))),
                new Row("stream4", "4. 4 → 1, 10M messages",
                        List.of(new Target("erlang", 3.0), new Target("pekko", 3.0))),
                new Row("spawn", "5. spawn 1M waiting processes", List.of(new Target("erlang", 3.0))),
                new Row("spawn.mem", "5. memory per idle process",
                        List.of(new Target("pekko", 1.0), new Target("erlang", 0.25))),
                new Row("call1", "6. GenServer call, 1 client", List.of(new Target("erlang", 2.0))),
                new Row("call100", "6. GenServer call, 100 clients", List.of(new Target("erlang", 2.0))),
                new Row("call1", "6. the same, 1 client, server with `callerRuns()`",
                        List.of(new Target("erlang", 2.0)), "ergon-callerruns"),
                new Row("call100", "6. the same, 100 clients, server with `callerRuns()`",
                        List.of(new Target("erlang", 2.0)), "ergon-callerruns"),
                new Row("call1", "6. default server, 1 plain thread calling (`node.call`)",
                        List.of(new Target("ergon", 0.5)), "ergon-threads"),
                new Row("call100", "6. default server, 100 virtual threads calling (`node.call`)",
                        List.of(new Target("ergon", 0.5)), "ergon-threads")));
        table(out, "Cross-node over loopback (client → server; the sender and the caller are on the client)",
                List.of("ergon-ergon", "ergon-erlang", "erlang-ergon", "erlang-erlang"), List.of(
                        new Row("xstream", "7. 1 → registered process, 1M messages",
                                List.of(new Target("erlang-erlang", 5.0))),
                        new Row("xcall", "7. call round trips", List.of(new Target("erlang-erlang", 3.0))),
                        new Row("xlink", "link + unlink", List.of()),
                        new Row("xmonitor", "monitor + demonitor", List.of())));
        table(out, "ETF codec, realistic message mix (JMH)", List.of("ergon", "jinterface"), List.of(
                new Row("etf.encode", "8. encode", List.of(new Target("jinterface", 2.0))),
                new Row("etf.decode", "8. decode", List.of(new Target("jinterface", 2.0)))));
        table(out, "Idle cost (a node doing nothing, measured from outside; no Pekko counterpart)",
                List.of("ergon", "erlang"), List.of(
                        new Row("idle", "idle: 10k processes + 1 connection, CPU", List.of()),
                        new Row("idle.threads", "idle: threads of the OS process", List.of()),
                        new Row("idle.jthreads", "idle: live platform threads of the JVM (ThreadMXBean)",
                                List.of())));
        crossNodeInteropTargets(out);
        if (!failures.isEmpty()) {
            out.append("\n**Failed runs** (no figure):\n");
            failures.forEach(f -> out.append("- ").append(f).append('\n'));
        }
        return out.toString();
    }

    private boolean busy() {
        return info.getOrDefault("load", "").startsWith("busy");
    }

    private void table(StringBuilder out, String title, List<String> systems, List<Row> rows) {
        out.append("### ").append(title).append(busy() ? " — busy (2 CPU hogs beside)" : "")
                .append("\n\n| workload | unit |");
        for (String s : systems) {
            out.append(' ').append(label(s)).append(" |");
        }
        for (String s : systems.subList(1, systems.size())) {
            out.append(' ').append(label(systems.get(0))).append(" / ").append(label(s)).append(" |");
        }
        out.append(" target | met |\n|---|---|");
        out.append("---:|".repeat(systems.size() * 2 - 1)).append("---|---|\n");
        for (Row row : rows) {
            Map<String, Figures> r = results.getOrDefault(row.id, Map.of());
            String unit = r.values().stream().findFirst().map(Figures::unit).orElse("");
            out.append("| ").append(row.label).append(" | ").append(unit).append(" |");
            String first = row.ergon == null ? systems.get(0) : row.ergon;
            for (String s : systems) {
                Figures f = r.get(s.equals(systems.get(0)) ? first : s);
                out.append(' ').append(f == null ? "—" : format(f.median()) + " ±" + Math.round(f.spread() / 2) + "%")
                        .append(" |");
            }
            Figures ergon = r.get(first);
            for (String s : systems.subList(1, systems.size())) {
                Figures f = r.get(s);
                out.append(' ').append(ergon == null || f == null || f.median() == 0 ? "—"
                        : String.format(Locale.ROOT, "%.2f×", ergon.median() / f.median())).append(" |");
            }
            StringBuilder targets = new StringBuilder();
            StringBuilder met = new StringBuilder();
            for (Target t : row.targets) {
                boolean lower = LOWER_IS_BETTER.contains(row.id);
                targets.append(targets.isEmpty() ? "" : ", ").append(lower ? "≤ " : "≥ ")
                        .append(t.ratio).append("× ").append(label(t.peer));
                Figures f = r.get(t.peer);
                String verdict = ergon == null || f == null ? "?"
                        : (lower ? ergon.median() / f.median() <= t.ratio : ergon.median() / f.median() >= t.ratio)
                        ? "yes" : "**no**";
                met.append(met.isEmpty() ? "" : ", ").append(verdict);
            }
            out.append(' ').append(targets).append(" | ").append(met).append(" |\n");
        }
        out.append('\n');
    }

    /** Ergon↔Erlang ≥ 1× Erlang↔Erlang for the stream and for calls, in both directions. */
    private void crossNodeInteropTargets(StringBuilder out) {
        for (String workload : List.of("xstream", "xcall")) {
            Map<String, Figures> r = results.getOrDefault(workload, Map.of());
            Figures base = r.get("erlang-erlang");
            if (base == null) {
                continue;
            }
            for (String pairing : List.of("ergon-erlang", "erlang-ergon")) {
                Figures f = r.get(pairing);
                if (f != null) {
                    double ratio = f.median() / base.median();
                    out.append(String.format(Locale.ROOT, "Target 7, %s %s ≥ 1× Erlang↔Erlang: %.2f× (%s)%n",
                            label(pairing), workload.equals("xcall") ? "calls" : "stream", ratio,
                            ratio >= 1.0 ? "met" : "**missed**"));
                }
            }
        }
    }

    private static String label(String system) {
        return switch (system) {
            case "ergon" -> "Ergon";
            case "pekko" -> "Pekko";
            case "erlang" -> "Erlang";
            case "jinterface" -> "JInterface";
            case "ergon-ergon" -> "Ergon↔Ergon";
            case "ergon-erlang" -> "Ergon→Erlang";
            case "erlang-ergon" -> "Erlang→Ergon";
            case "erlang-erlang" -> "Erlang↔Erlang";
            default -> system;
        };
    }

    private static String format(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        if (v < 10 && v != Math.rint(v)) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
