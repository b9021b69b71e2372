package io.ergon.net;

import static io.ergon.net.NamespaceCluster.ask;

import io.ergon.testing.NetNamespaces.Host;
import io.ergon.testing.NetNamespaces;
import io.ergon.testkit.ChildJvm;
import io.ergon.testkit.ErlangNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of the README's "across hosts" rows: call and stream rates between two nodes on two namespace hosts
 * over TLS, Ergon↔Ergon and Erlang↔Erlang, over the bridge as it is, over a link with 50 ms each way plus up to
 * 20 ms of jitter (a {@link io.ergon.testing.FaultProxy} on a third host) and over a 10 Mbit/s {@code tbf} link, in
 * rounds that alternate the two kinds of node, each run on fresh hosts and nodes after one untimed warm-up of each
 * workload; prints each run and a Markdown table of medians. Needs root, iproute2, Erlang and openssl. {@code bench/slowlinks.sh [ROUNDS]} builds and runs it.
 */
public final class SlowLinkFigures {
    private static final Duration TICK = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int CALL_MILLIS = 3000;
    private static final int CALLERS = 64;
    private static final int STREAM = 50_000;

    private SlowLinkFigures() {
    }

    /** One link's shaping, put on a fresh set of hosts. */
    private enum Link {
        NONE("none (the bridge alone)"), LATENCY("50 ms + up to 20 ms jitter each way"),
        TBF("tbf 10 Mbit/s each way");

        final String label;

        Link(String label) {
            this.label = label;
        }
    }

    public static void main(String[] args) throws Exception {
        String why = NetNamespaces.unusableBecause();
        if (why != null || !ErlangNode.available()) {
            System.err.println("cannot run: " + (why != null ? why : "no erl on the PATH"));
            System.exit(2);
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Map<String, List<Double>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Link link : Link.values()) {
                for (boolean erlang : new boolean[] {false, true}) {
                    Map<String, Double> run = measure(link, erlang);
                    System.out.println("round " + round + ", " + link.label + ", " + (erlang ? "Erlang" : "Ergon")
                            + ": " + run);
                    run.forEach((k, v) -> results.computeIfAbsent(link.label + "|" + k + "|" + erlang,
                            x -> new ArrayList<>()).add(v));
                }
            }
        }
        System.out.println();
        System.out.println("| link | workload | Ergon↔Ergon | Erlang↔Erlang |");
        System.out.println("|---|---|---:|---:|");
        for (Link link : Link.values()) {
            for (String workload : List.of("calls/s, 1 caller", "calls/s, " + CALLERS + " callers", "stream, msg/s")) {
                String key = link.label + "|" + workload + "|";
                System.out.printf("| %s | %s | %s | %s |%n", link.label, workload, median(results.get(key + false)),
                        median(results.get(key + true)));
            }
        }
        System.exit(0);
    }

    private static Map<String, Double> measure(Link link, boolean erlang) throws Exception {
        Path dir = Files.createTempDirectory("ergon-slowlinks");
        try (NamespaceCluster cluster = NamespaceCluster.create(dir, "b.ergon.test", "c.ergon.test", "p.ergon.test")) {
            Host b = cluster.host("b.ergon.test");
            Host c = cluster.host("c.ergon.test");
            if (link == Link.LATENCY) {
                Host p = cluster.host("p.ergon.test");
                cluster.startProxy(p, c, Duration.ofMillis(50), Duration.ofMillis(20));
                cluster.net.resolveOn(b, c.name(), p.address());
            } else if (link == Link.TBF) {
                cluster.net.limitRate(c, "10mbit", 32 * 1024, "100ms");
            }
            return erlang ? erlangPair(cluster, b, c) : ergonPair(cluster, b, c);
        }
    }

    private static Map<String, Double> ergonPair(NamespaceCluster cluster, Host b, Host c) throws Exception {
        cluster.startErgon(c, "ergon_c", TICK, cluster.optFile(c));
        ChildJvm from = cluster.startErgon(b, "ergon_b", TICK, cluster.optFile(b));
        String peer = "ergon_c@" + c.name();
        ask(from, "connect " + peer, WAIT, "CONNECTED", "NOT_CONNECTED");
        // a warm-up of each workload first: the JIT compiles the TLS and call paths in the first seconds
        ask(from, "calls " + peer + " " + CALL_MILLIS + " 8", WAIT, "CALLS");
        ask(from, "stream " + peer + " " + STREAM, WAIT, "STREAM");
        Map<String, Double> run = new LinkedHashMap<>();
        run.put("calls/s, 1 caller", rate(ask(from, "calls " + peer + " " + CALL_MILLIS + " 1", WAIT, "CALLS")));
        run.put("calls/s, " + CALLERS + " callers",
                rate(ask(from, "calls " + peer + " " + CALL_MILLIS + " " + CALLERS, WAIT, "CALLS")));
        run.put("stream, msg/s", rate(ask(from, "stream " + peer + " " + STREAM, WAIT, "STREAM")));
        return run;
    }

    /** The same workloads in Erlang ({@code ergon_rates}, a test resource), calling {@code ergon_ft}'s echo loop. */
    private static Map<String, Double> erlangPair(NamespaceCluster cluster, Host b, Host c) throws Exception {
        ErlangNode to = cluster.startErlang(c, "erl_c", (int) TICK.toSeconds());
        ErlangNode from = cluster.startErlang(b, "erl_b", (int) TICK.toSeconds());
        for (ErlangNode e : List.of(to, from)) {
            e.loadResource("ergon_ft");
            e.loadResource("ergon_rates");
        }
        String bind = "C = '" + to.name() + "', ";
        from.eval(bind + "pong = net_adm:ping(C), true = erpc:call(C, erlang, register, "
                + "[echo, erpc:call(C, ergon_ft, echo_server, [])]).", WAIT);
        String calls = "ergon_rates:calls({echo, C}, " + CALL_MILLIS + ", ";
        String stream = "ergon_rates:stream(C, " + STREAM + ").";
        from.eval(bind + calls + "8).", WAIT); // warm-up, as for Ergon
        from.eval(bind + stream, WAIT);
        Map<String, Double> run = new LinkedHashMap<>();
        run.put("calls/s, 1 caller", erlangRate(from.eval(bind + calls + "1).", WAIT)));
        run.put("calls/s, " + CALLERS + " callers", erlangRate(from.eval(bind + calls + CALLERS + ").", WAIT)));
        run.put("stream, msg/s", erlangRate(from.eval(bind + stream, WAIT)));
        return run;
    }

    /** {@code WORD COUNT MILLIS ...} as a rate per second. */
    private static double rate(String line) {
        String[] parts = line.split(" ");
        return Long.parseLong(parts[1]) * 1000.0 / Math.max(1, Long.parseLong(parts[2]));
    }

    /** {@code {Count,Millis}} as a rate per second. */
    private static double erlangRate(String tuple) {
        String[] parts = tuple.replaceAll("[{}]", "").split(",");
        return Long.parseLong(parts[0]) * 1000.0 / Math.max(1, Long.parseLong(parts[1]));
    }

    private static String median(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return "–";
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        double m = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return String.format(m >= 100 ? "%.0f" : "%.1f", m) + " (" + String.format("%.0f", sorted.get(0)) + "-"
                + String.format("%.0f", sorted.get(n - 1)) + ")";
    }
}
