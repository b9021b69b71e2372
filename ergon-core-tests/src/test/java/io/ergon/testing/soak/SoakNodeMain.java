package io.ergon.testing.soak;

import io.ergon.gen.ChildSpec;
import io.ergon.gen.Strategy;
import io.ergon.gen.Supervisor;
import io.ergon.node.Actor;
import io.ergon.node.Down;
import io.ergon.node.Exit;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeDown;
import io.ergon.node.NodeOptions;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * An Ergon node of the soak and chaos run, in a JVM of its own: the Java twin of {@code soak.erl} (same processes,
 * same messages, same checks; see that file). Arguments: {@code NAME COOKIE EPMD_PORT LISTEN_ADDRESS LISTEN_PORT
 * TICKTIME_S PEERS TICK_MS BATCH LIFE_MS ROUND_MS GRACE_MS} ({@code PEERS} comma-separated).
 *
 * <p>It reads one command a line on its standard input and answers as {@link io.ergon.testing.ErlangNode}'s line
 * protocol does ({@code @@ok VALUE}): {@code node().}, {@code soak:stats().} (the counters, plus this JVM's
 * platform threads, open descriptors and heap in use after a full GC), {@code soak:violations().},
 * {@code soak:quiesce().} and {@code soak:kill_and_wait(NAME).}. It stops when its standard input closes.
 */
public final class SoakNodeMain {
    private static final Atom SEQ = Atom.of("soak_seq");
    private static final Atom TARGET = Atom.of("soak_target");
    private static final Atom TARGET_PID = Atom.of("soak_target_pid");
    private static final Atom TICK = Atom.of("tick");
    private static final Atom ROUND = Atom.of("round");
    private static final Atom QUIESCE = Atom.of("quiesce");
    private static final int MAX_NOTES = 20;

    private static final Map<String, AtomicLong> COUNTERS = new LinkedHashMap<>();
    private static final List<String> NOTES = new ArrayList<>();
    private static final Map<Ref, Long> MONITORS = new ConcurrentHashMap<>();
    private static final Map<Pid, Long> LINKS = new ConcurrentHashMap<>();
    private static volatile boolean active = true;

    static {
        for (String k : List.of("sent", "received", "checked", "gaps", "lost", "violations", "mon_created",
                "mon_fired", "link_created", "link_fired", "targets_made")) {
            COUNTERS.put(k, new AtomicLong());
        }
    }

    private SoakNodeMain() {
    }

    public static void main(String[] args) throws IOException {
        String name = args[0];
        List<String> peers = List.of(args[6].split(","));
        long tick = Long.parseLong(args[7]);
        int batch = Integer.parseInt(args[8]);
        long life = Long.parseLong(args[9]);
        long round = Long.parseLong(args[10]);
        long grace = Long.parseLong(args[11]);
        NodeOptions options = NodeOptions.defaults().distributed(true).cookie(args[1])
                .epmdPort(Integer.parseInt(args[2])).listenAddress(InetAddress.getByName(args[3]))
                .listenPort(Integer.parseInt(args[4])).netTickTime(Duration.ofSeconds(Long.parseLong(args[5])));
        try (Node node = Node.start(name, options)) {
            node.spawnRegister("soak_recv", Receiver::new);
            node.spawnRegister("soak_targets", Targets::new);
            node.spawnRegister("soak_watcher", () -> new Watcher(peers, round, life));
            for (String peer : peers) {
                node.spawn(() -> new Sender(peer, tick, batch));
            }
            Supervisor.start(node, "soak_sup", Supervisor.spec(Strategy.ONE_FOR_ONE)
                    .intensity(20, Duration.ofSeconds(10)).child(ChildSpec.worker("victim", Victim::new)));
            serve(node, life, grace);
        }
        System.exit(0);
    }

    private static void serve(Node node, long life, long grace) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String cmd = line.strip();
            String answer;
            try {
                answer = "@@ok " + switch (cmd) {
                    case "node()." -> node.name();
                    case "soak:stats()." -> stats(life, grace);
                    case "soak:violations()." -> violations();
                    case "soak:quiesce()." -> {
                        active = false;
                        yield "ok";
                    }
                    default -> {
                        if (cmd.startsWith("soak:kill_and_wait(") && cmd.endsWith(").")) {
                            yield killAndWait(node, cmd.substring("soak:kill_and_wait(".length(), cmd.length() - 2));
                        }
                        throw new IllegalArgumentException("unknown command");
                    }
                };
            } catch (RuntimeException | InterruptedException e) {
                answer = "@@error error:'" + e.getMessage() + "'";
            }
            System.out.println(answer);
            System.out.flush();
        }
    }

    private static void count(String key, long n) {
        COUNTERS.get(key).addAndGet(n);
    }

    private static void violation(String text) {
        long v = COUNTERS.get("violations").incrementAndGet();
        if (v <= MAX_NOTES) {
            synchronized (NOTES) {
                NOTES.add(text);
            }
        }
    }

    private static String stats(long life, long grace) throws IOException {
        StringBuilder out = new StringBuilder("[");
        COUNTERS.forEach((k, v) -> out.append('{').append(k).append(',').append(v.get()).append("},"));
        long late = System.nanoTime() / 1_000_000 - life - grace;
        long old = Stream.concat(MONITORS.values().stream(), LINKS.values().stream()).filter(t -> t < late).count();
        out.append("{outstanding,").append(MONITORS.size() + LINKS.size()).append("},{late,").append(old).append("},");
        System.gc();
        Runtime r = Runtime.getRuntime();
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            fds = s.count();
        }
        out.append("{threads,").append(Thread.getAllStackTraces().size()).append("},{fds,")
                .append(fds).append("},{heap,").append(r.totalMemory() - r.freeMemory()).append("}]");
        return out.toString();
    }

    private static String violations() {
        synchronized (NOTES) {
            return NOTES.stream().map(t -> "'" + t.replace("'", "\"") + "'").toList().toString().replace(", ", ",");
        }
    }

    /** Kills the process registered as {@code name} and waits (10 s at most) until another one is. */
    private static String killAndWait(Node node, String name) throws InterruptedException {
        Pid old = node.whereis(name);
        if (old == null) {
            return "not_running";
        }
        long t0 = System.nanoTime();
        node.exit(old, Reasons.KILL);
        while (true) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Pid now = node.whereis(name);
            if (now != null && !now.equals(old)) {
                return "{restarted," + ms + "}";
            }
            if (ms > 10_000) {
                return "not_restarted";
            }
            Thread.sleep(10); // a poll interval, under the 10 s deadline above
        }
    }

    /** Sends batches of numbered messages to one peer's {@code soak_recv}, counting the peer's nodedowns. */
    static final class Sender extends Actor {
        private final Name to;
        private final Atom peer;
        private final long tick;
        private final int batch;
        private long next = 1;
        private long downs;

        Sender(String peer, long tick, int batch) {
            this.to = Name.of("soak_recv", peer);
            this.peer = Atom.of(peer);
            this.tick = tick;
            this.batch = batch;
        }

        @Override
        protected void init() {
            node().watchNodes(self(), true);
            sendAfter(self(), TICK, Duration.ofMillis(tick));
        }

        @Override
        protected void handleMessage(Object message) {
            if (message instanceof NodeDown d && d.node() == peer) {
                downs++;
            } else if (message == TICK) {
                for (int i = 0; i < batch; i++) {
                    send(to, Tuple.of(SEQ, self(), next++, downs));
                }
                count("sent", batch);
                sendAfter(self(), TICK, Duration.ofMillis(tick));
            }
        }
    }

    /** Checks every sender's numbers with {@code soak.erl}'s rule (see its {@code check/5}). */
    static final class Receiver extends Actor {
        private record Last(long n, long senderDowns, long ourDowns) {
        }

        private final Map<Pid, Last> last = new HashMap<>();
        private final Map<Atom, Long> downs = new HashMap<>();

        @Override
        protected void init() {
            node().watchNodes(self(), true);
        }

        @Override
        protected void handleMessage(Object message) {
            if (message instanceof NodeDown d) {
                downs.merge(d.node(), 1L, Long::sum);
            } else if (message instanceof Tuple t && t.size() == 4 && t.get(0) == SEQ) {
                Pid from = (Pid) t.get(1);
                long n = (Long) t.get(2);
                long es = (Long) t.get(3);
                long d = downs.getOrDefault(from.node(), 0L);
                count("received", 1);
                Last prev = last.get(from);
                Last now = new Last(n, es, d);
                if (prev != null) {
                    count("checked", 1);
                    now = check(from, now, prev);
                }
                last.put(from, now);
            }
        }

        private static Last check(Pid from, Last now, Last prev) {
            if (now.n <= prev.n) {
                violation(from + ": " + now.n + " after " + prev.n + " (duplicated or reordered)");
                return prev;
            }
            if (now.n > prev.n + 1) {
                if (now.senderDowns > prev.senderDowns || now.ourDowns > prev.ourDowns) {
                    count("gaps", 1);
                    count("lost", now.n - prev.n - 1);
                } else {
                    violation(from + ": " + now.n + " after " + prev.n
                            + " with no disconnection between (lost on a live connection)");
                }
            }
            return now;
        }
    }

    /** Spawns, on request, a target process that ends normally after the given time. */
    static final class Targets extends Actor {
        @Override
        protected void handleMessage(Object message) {
            if (message instanceof Tuple t && t.size() == 3 && t.get(0) == TARGET) {
                long life = (Long) t.get(2);
                Pid target = spawn(() -> new Target(life));
                count("targets_made", 1);
                send(t.get(1), Tuple.of(TARGET_PID, target));
            }
        }
    }

    /** Lives a given time, then ends normally. */
    static final class Target extends Actor {
        private final long life;

        Target(long life) {
            this.life = life;
        }

        @Override
        protected void init() {
            sendAfter(self(), Reasons.NORMAL, Duration.ofMillis(life));
        }

        @Override
        protected void handleMessage(Object message) {
            if (message == Reasons.NORMAL) {
                stop(Reasons.NORMAL);
            }
        }
    }

    /** Each round, monitors and links to a new target on every peer, and checks each fires exactly once. */
    static final class Watcher extends Actor {
        private final List<Name> targets = new ArrayList<>();
        private final long round;
        private final long life;

        Watcher(List<String> peers, long round, long life) {
            peers.forEach(p -> targets.add(Name.of("soak_targets", p)));
            this.round = round;
            this.life = life;
        }

        @Override
        protected void init() {
            trapExit(true);
            sendAfter(self(), ROUND, Duration.ofMillis(round));
        }

        @Override
        protected void handleMessage(Object message) {
            if (message == ROUND) {
                if (active) {
                    targets.forEach(t -> send(t, Tuple.of(TARGET, self(), life)));
                }
                sendAfter(self(), ROUND, Duration.ofMillis(round));
            } else if (message instanceof Tuple t && t.size() == 2 && t.get(0) == TARGET_PID) {
                Pid target = (Pid) t.get(1);
                long now = System.nanoTime() / 1_000_000;
                MONITORS.put(monitor(target), now);
                count("mon_created", 1);
                LINKS.put(target, now);
                link(target);
                count("link_created", 1);
            } else if (message instanceof Down d) {
                if (MONITORS.remove(d.ref()) != null) {
                    count("mon_fired", 1);
                } else {
                    violation("monitor " + d.ref() + " of " + d.item() + " fired again (" + d.reason() + ")");
                }
            } else if (message instanceof Exit e) {
                if (LINKS.remove(e.from()) != null) {
                    count("link_fired", 1);
                } else {
                    violation("link to " + e.from() + " fired again (" + e.reason() + ")");
                }
            }
        }
    }

    /** The supervised child the run kills: registers itself as {@code soak_victim} and waits. */
    static final class Victim extends Actor {
        @Override
        protected void init() {
            node().register("soak_victim", self());
        }
    }
}
