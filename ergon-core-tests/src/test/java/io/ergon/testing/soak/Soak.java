package io.ergon.testing.soak;

import io.ergon.testing.NetNamespaces;
import io.ergon.testkit.ErlangNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The soak and chaos run of issue 19 ({@code bench/soak.sh}): a cluster of two Erlang/OTP nodes and two Ergon nodes
 * (each in a process of its own) exchanges numbered messages and makes links and monitors for {@code --minutes},
 * while faults chosen by a seeded random generator hit one node at a time: SIGKILL and restart, SIGSTOP/SIGCONT,
 * partitions (the node's link down) and {@code tbf} rate limits in network namespaces, and, through each node's
 * {@link io.ergon.testing.FaultProxy}, latency with jitter, stalls, bandwidth limits and resets. Between faults it
 * reads every node's counters; at the end it heals everything, lets the links and monitors in flight fire, and
 * checks:
 * <ul>
 * <li>messages: each receiver sees each sender's numbers strictly increasing (none duplicated or reordered, ever),
 * and skipping numbers only across a disconnection of the two nodes that one of them saw (the rule in
 * {@code soak.erl}'s {@code check/5}): Erlang's guarantee holds per connection, and what is in flight when a
 * connection goes may be lost;
 * <li>every link and every monitor made fires exactly once (a second firing counts when it happens; those still
 * waiting at the end are missing);
 * <li>every supervised process the run kills (a child of the run's own supervisor, {@code rex}, {@code net_kernel})
 * is restarted within 10 s;
 * <li>no growth of an Ergon JVM's platform threads, open descriptors and heap after GC across cycles.
 * </ul>
 * It prints a progress line per fault, then a report; it exits with status 1 if anything was violated.
 *
 * <p>Options: {@code --minutes M} (decimal allowed), {@code --seed S} (random if absent; printed either way),
 * {@code --no-netns}, {@code --report FILE}.
 */
public final class Soak {
    private static final int NODES = 4;
    /** Node 3 (Ergon) is never killed, so that its threads, fds and heap are sampled across the whole run. */
    private static final int KILLABLE = 3;
    private static final long THREAD_SLACK = 8;
    private static final long FD_SLACK = 16;
    private static final long HEAP_SLACK = 24L << 20;

    enum Fault {
        KILL_RESTART, STOP_CONT, PARTITION, RATE_LIMIT, PROXY_DELAY, PROXY_STALL, PROXY_BANDWIDTH, PROXY_RESET,
        SUPERVISED_KILL
    }

    private record Sample(long threads, long fds, long heap) {
    }

    private final long seed;
    private final Random random;
    private final long endNanos;
    private final long startNanos = System.nanoTime();
    private final PrintStream out = System.out;
    private final SoakNode.Settings settings;
    private final List<SoakNode> nodes = new ArrayList<>();
    private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
    private final Map<String, List<Sample>> samples = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> details = new ArrayList<>();
    private long violationCount;
    private final List<String> skipped = new ArrayList<>();
    private SoakTopology topology;
    private ErlangNode proxies;
    private int restartsChecked;
    private Map<String, Long> lastTotals = Map.of();

    private Soak(long seed, Duration length, SoakNode.Settings settings) {
        this.seed = seed;
        this.random = new Random(seed);
        this.endNanos = startNanos + length.toNanos();
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        double minutes = 10;
        long seed = new Random().nextLong() & 0xffff_ffffL;
        boolean netns = true;
        Path report = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--no-netns" -> netns = false;
                case "--report" -> report = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--minutes M, --seed S, --no-netns, --report FILE)");
            }
        }
        SoakNode.Settings settings = new SoakNode.Settings("soak", 8, 50, 10, 3_000, 1_000, 60_000);
        Soak soak = new Soak(seed, Duration.ofMillis((long) (minutes * 60_000)), settings);
        Runtime.getRuntime().addShutdownHook(new Thread(soak::cleanUp));
        int status;
        try {
            status = soak.run(netns, report);
        } finally {
            soak.cleanUp();
        }
        System.exit(status);
    }

    private int run(boolean netns, Path report) throws Exception {
        out.printf("soak: seed %d (run again with --seed %d), %.1f minutes%n", seed, seed,
                (endNanos - startNanos) / 60e9);
        String why = netns ? NetNamespaces.unusableBecause() : "--no-netns";
        if (why == null) {
            topology = SoakTopology.namespaces(NODES);
            out.println("soak: nodes in network namespaces, every connection through a fault proxy");
        } else {
            topology = SoakTopology.loopback(NODES);
            skipped.add("partitions and tbf rate limits (no network namespaces: " + why + ")");
            out.println("soak: nodes on loopback (" + why + "): skipping partitions and tbf rate limits");
        }
        startProxies();
        for (int i = 0; i < NODES; i++) {
            nodes.add(new SoakNode(i, i >= 2, topology, settings));
        }
        nodes.forEach(n -> n.peers(nodes));
        for (SoakNode n : nodes) {
            n.start();
            out.println("soak: started " + n.name);
        }
        awaitTraffic();
        int cycle = 0;
        while (System.nanoTime() < endNanos) {
            cycle++;
            injectOne(cycle);
            sample(cycle);
        }
        try {
            finish();
        } catch (IOException | RuntimeException e) {
            problem("the final checks failed: " + firstLine(e));
        }
        String text = report();
        out.print(text);
        if (report != null) {
            Files.writeString(report, text, StandardCharsets.UTF_8);
        }
        return problems.isEmpty() ? 0 : 1;
    }

    private void startProxies() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                SoakProxyMain.class.getName(), Long.toString(seed)));
        cmd.addAll(topology.proxySpecs());
        proxies = ErlangNode.attach("proxy", topology.proxyLauncher().start(cmd, Map.of()));
    }

    /** Waits (2 minutes at most) until every node has checked messages from all its peers' senders. */
    private void awaitTraffic() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (SoakNode n : nodes) {
                all &= n.stats().getOrDefault("checked", 0L) > 0;
            }
            if (all) {
                out.printf("soak: traffic flows between all nodes after %.1f s%n", elapsedSeconds());
                return;
            }
            Thread.sleep(500); // a poll interval, under the 2-minute deadline
        }
        throw new IllegalStateException("the nodes did not start exchanging messages within 2 minutes");
    }

    private double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    // ------------------------------------------------------------------ faults

    private void injectOne(int cycle) throws Exception {
        List<Fault> kinds = new ArrayList<>(List.of(Fault.values()));
        if (!topology.hasNetwork()) {
            kinds.remove(Fault.PARTITION);
            kinds.remove(Fault.RATE_LIMIT);
        }
        // every draw is made whatever happens at run time, so that a seed repeats the same faults in the same order
        Fault fault = kinds.get(random.nextInt(kinds.size()));
        int target = random.nextInt(fault == Fault.KILL_RESTART ? KILLABLE : NODES);
        long holdMillis = 2_000 + random.nextInt(14_000);
        int variant = random.nextInt(3);
        long amount = 20 + random.nextInt(180);
        long settleMillis = 1_000 + random.nextInt(2_000);
        SoakNode node = nodes.get(target);
        String what = describe(fault, node, holdMillis, variant, amount);
        out.printf("[%6.1fs] fault %d: %s%n", elapsedSeconds(), cycle, what);
        try {
            String result = apply(fault, node, holdMillis, variant, amount);
            if (result != null) {
                out.printf("[%6.1fs]   %s%n", elapsedSeconds(), result);
            }
        } catch (IOException | RuntimeException e) {
            problem("fault " + cycle + " (" + what + ") failed: " + firstLine(e));
            out.printf("[%6.1fs]   failed: %s%n", elapsedSeconds(), firstLine(e));
        }
        injected.merge(fault, 1, Integer::sum);
        Thread.sleep(settleMillis); // the soak's pace: traffic runs on under checks between faults
        for (SoakNode n : nodes) {
            if (!n.alive()) {
                problem(n.name + " died after fault " + cycle + " (" + what + "); its last lines: " + n.tail(5));
                out.printf("[%6.1fs]   %s died: restarting it%n", elapsedSeconds(), n.name);
                startAgain(n);
            }
        }
    }

    private void problem(String what) {
        problem(what, 1);
    }

    private void problem(String what, long count) {
        problems.add(what);
        violationCount += count;
    }

    private static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
    }

    private static String describe(Fault f, SoakNode n, long hold, int variant, long amount) {
        return switch (f) {
            case KILL_RESTART -> "kill -9 " + n.name + ", restart after " + hold / 8 + " ms";
            case STOP_CONT -> "SIGSTOP " + n.name + " for " + hold + " ms";
            case PARTITION -> "partition " + n.name + " (link down) for " + hold + " ms";
            case RATE_LIMIT -> "tbf " + amount + "kbit on " + n.name + "'s link for " + hold + " ms";
            case PROXY_DELAY -> "latency " + amount + " ms + jitter " + amount / 2 + " ms, " + direction(variant)
                    + ", to " + n.name + " for " + hold + " ms";
            case PROXY_STALL -> "stall " + direction(variant) + " to " + n.name + " for " + hold + " ms";
            case PROXY_BANDWIDTH -> "bandwidth " + amount + " KB/s " + direction(variant) + " to " + n.name
                    + " for " + hold + " ms";
            case PROXY_RESET -> "reset (RST) every connection to " + n.name;
            case SUPERVISED_KILL -> "kill " + victim(n, variant) + " on " + n.name + " and wait for its restart";
        };
    }

    private static String direction(int variant) {
        return List.of("up", "down", "both").get(variant);
    }

    /**
     * The process a supervised kill kills: on an Ergon node the run's own supervised child, {@code rex} or
     * {@code net_kernel}; on an Erlang node only the run's own child, since OTP's {@code kernel_sup} allows no
     * restart (intensity 0) and a killed {@code rex} takes the whole node down there.
     */
    private static String victim(SoakNode n, int variant) {
        return n.ergon ? List.of("soak_victim", "rex", "net_kernel").get(variant) : "soak_victim";
    }

    /** Applies a fault, holds it, and lifts it; returns what to report, or null. */
    private String apply(Fault f, SoakNode n, long hold, int variant, long amount) throws Exception {
        int i = n.index;
        switch (f) {
            case KILL_RESTART -> {
                n.kill9();
                Thread.sleep(hold / 8); // the fault's length (so below): how long the node stays dead
                startAgain(n);
                return "restarted " + n.name + " (incarnation " + n.incarnation() + ")";
            }
            case STOP_CONT -> {
                n.suspend();
                Thread.sleep(hold);
                n.resume();
            }
            case PARTITION -> {
                topology.partition(i);
                Thread.sleep(hold);
                topology.heal(i);
            }
            case RATE_LIMIT -> {
                topology.limitRate(i, amount + "kbit");
                Thread.sleep(hold);
                topology.clearRate(i);
            }
            case PROXY_DELAY -> {
                proxy("latency " + i + " " + direction(variant) + " " + amount + " " + amount / 2);
                Thread.sleep(hold);
                proxy("heal " + i);
            }
            case PROXY_STALL -> {
                proxy("stall " + i + " " + direction(variant));
                Thread.sleep(hold);
                proxy("heal " + i);
            }
            case PROXY_BANDWIDTH -> {
                proxy("bandwidth " + i + " " + direction(variant) + " " + amount * 1024);
                Thread.sleep(hold);
                proxy("heal " + i);
            }
            case PROXY_RESET -> {
                return proxy("reset " + i) + " connections reset";
            }
            case SUPERVISED_KILL -> {
                String victim = victim(n, variant);
                String r = n.killAndWait(victim);
                if (r.startsWith("{restarted,")) {
                    restartsChecked++;
                } else if (r.equals("not_running")) {
                    // the previous kill's restart is still under way (net_kernel takes its time): nothing to check
                    skipped.add("a kill of " + victim + " on " + n.name + ": it was not running");
                } else {
                    problem(victim + " on " + n.name + " was not restarted within 10 s: " + r);
                }
                return victim + ": " + r;
            }
        }
        return null;
    }

    private String proxy(String command) {
        return proxies.eval(command, Duration.ofSeconds(30));
    }

    private void startAgain(SoakNode n) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                n.start();
                return;
            } catch (IOException e) {
                if (attempt == 3) {
                    throw e;
                }
                out.println("soak: restarting " + n.name + " failed (" + e.getMessage().lines().findFirst()
                        .orElse("") + "), trying again");
                Thread.sleep(2_000); // a retry's back-off
            }
        }
    }

    // ------------------------------------------------------------------ counting

    private void sample(int cycle) {
        Map<String, Long> totals = new HashMap<>();
        StringBuilder resources = new StringBuilder();
        for (SoakNode n : nodes) {
            Map<String, Long> s;
            try {
                s = n.stats();
            } catch (RuntimeException e) {
                problem(n.name + " did not answer after fault " + cycle + ": " + e.getMessage());
                continue;
            }
            n.totals(s).forEach((k, v) -> totals.merge(k, v, Long::sum));
            if (n.ergon) {
                Sample x = new Sample(s.getOrDefault("threads", 0L), s.getOrDefault("fds", 0L),
                        s.getOrDefault("heap", 0L));
                samples.computeIfAbsent(n.name + " #" + n.incarnation(), k -> new ArrayList<>()).add(x);
                resources.append(String.format("; %s thr %d fd %d heap %.1fMB", n.name.substring(0, 6), x.threads,
                        x.fds, x.heap / 1048576.0));
            }
        }
        lastTotals = totals;
        out.printf("[%6.1fs]   checked %,d msgs (gaps %d, %,d lost across disconnections), monitors %d/%d, "
                        + "links %d/%d fired, restarts %d, violations %d, late %d%s%n", elapsedSeconds(),
                totals.getOrDefault("checked", 0L), totals.getOrDefault("gaps", 0L), totals.getOrDefault("lost", 0L),
                totals.getOrDefault("mon_fired", 0L), totals.getOrDefault("mon_created", 0L),
                totals.getOrDefault("link_fired", 0L), totals.getOrDefault("link_created", 0L), restartsChecked,
                totals.getOrDefault("violations", 0L), totals.getOrDefault("late", 0L), resources);
    }

    /** Heals everything, stops making links and monitors, and waits until those in flight have fired. */
    private void finish() throws Exception {
        out.printf("[%6.1fs] healing everything, waiting for the links and monitors in flight%n", elapsedSeconds());
        for (SoakNode n : nodes) {
            proxy("heal " + n.index);
        }
        nodes.forEach(SoakNode::quiesce);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(
                settings.lifeMillis() / 1000 + 4L * settings.tickTimeSeconds() + 30);
        long outstanding = -1;
        while (System.nanoTime() < deadline) {
            outstanding = 0;
            for (SoakNode n : nodes) {
                outstanding += n.stats().getOrDefault("outstanding", 0L);
            }
            if (outstanding == 0) {
                break;
            }
            Thread.sleep(1_000); // a poll interval, under the deadline above
        }
        sample(-1);
        if (outstanding != 0) {
            problem(outstanding + " links and monitors never fired", outstanding);
        }
        long violations = lastTotals.getOrDefault("violations", 0L);
        if (violations > 0) {
            problem(violations + " ordering or exactly-once violations", violations);
            for (SoakNode n : nodes) {
                n.notes().forEach(note -> details.add(n.name + ": " + note));
            }
        }
        checkGrowth();
    }

    /**
     * An incarnation grew if, leaving out its first two samples (warm-up), the least value of its last third is above
     * the greatest of its first third by more than the slack; an incarnation with fewer than 6 samples is not judged.
     */
    private void checkGrowth() {
        samples.forEach((who, list) -> {
            if (list.size() < 6) {
                return;
            }
            List<Sample> s = list.subList(2, list.size());
            int k = Math.max(1, s.size() / 3);
            List<Sample> first = s.subList(0, k);
            List<Sample> last = s.subList(s.size() - k, s.size());
            check(who, "threads", first, last, Sample::threads, THREAD_SLACK);
            check(who, "fds", first, last, Sample::fds, FD_SLACK);
            check(who, "heap", first, last, Sample::heap, HEAP_SLACK);
        });
    }

    private void check(String who, String what, List<Sample> first, List<Sample> last,
                       java.util.function.ToLongFunction<Sample> value, long slack) {
        long before = first.stream().mapToLong(value).max().orElse(0);
        long after = last.stream().mapToLong(value).min().orElse(0);
        if (after > before + slack) {
            problem(who + ": " + what + " grew from at most " + before + " to at least " + after);
        }
    }

    private String report() {
        StringBuilder r = new StringBuilder("\n== soak report ==\n");
        r.append(String.format("seed %d; duration %.1f min; mode %s%n", seed, elapsedSeconds() / 60,
                topology.hasNetwork() ? "network namespaces" : "loopback"));
        int all = injected.values().stream().mapToInt(Integer::intValue).sum();
        r.append("faults injected: ").append(all).append(' ').append(injected).append('\n');
        Map<String, Long> t = lastTotals;
        r.append(String.format("messages: %,d sent, %,d received, %,d checked in order; %d gaps across "
                        + "disconnections (%,d messages lost with their connection)%n", t.getOrDefault("sent", 0L),
                t.getOrDefault("received", 0L), t.getOrDefault("checked", 0L), t.getOrDefault("gaps", 0L),
                t.getOrDefault("lost", 0L)));
        r.append(String.format("monitors: %,d made, %,d fired; links: %,d made, %,d fired; %,d of them (links and "
                        + "monitors together) not waited for, their watcher killed with its node%n",
                t.getOrDefault("mon_created", 0L), t.getOrDefault("mon_fired", 0L),
                t.getOrDefault("link_created", 0L), t.getOrDefault("link_fired", 0L),
                t.getOrDefault("orphaned", 0L)));
        r.append("supervised restarts checked: ").append(restartsChecked).append('\n');
        samples.forEach((who, list) -> {
            Sample a = list.get(0);
            Sample b = list.get(list.size() - 1);
            r.append(String.format("%s: %d samples; threads %d -> %d, fds %d -> %d, heap %.1f -> %.1f MB%n", who,
                    list.size(), a.threads, b.threads, a.fds, b.fds, a.heap / 1048576.0, b.heap / 1048576.0));
        });
        skipped.forEach(s -> r.append("skipped: ").append(s).append('\n'));
        r.append("violations: ").append(violationCount).append('\n');
        problems.forEach(p -> r.append("  ").append(p).append('\n'));
        details.forEach(d -> r.append("    ").append(d).append('\n'));
        return r.toString();
    }

    private synchronized void cleanUp() {
        for (SoakNode n : nodes) {
            try {
                n.stop();
            } catch (RuntimeException ignored) {
                // stopping anyway
            }
        }
        nodes.clear();
        if (proxies != null) {
            proxies.close();
            proxies = null;
        }
        if (topology != null) {
            topology.close();
            topology = null;
        }
    }
}
