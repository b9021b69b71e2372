package io.ergon.testing.soak;

import io.ergon.testkit.ErlangNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node of the soak run, Erlang ({@code soak.erl}) or Ergon ({@link SoakNodeMain} in a JVM of its own), over its
 * incarnations: it can be killed with SIGKILL and started again under the same name. Counters of the incarnations
 * that were killed are kept ({@link #totals()} adds them to the living one's), and so are their violation notes.
 */
final class SoakNode {
    private static final Pattern PAIR = Pattern.compile("\\{(\\w+),(-?\\d+)}");
    private static final Pattern NOTE = Pattern.compile("'((?:[^'\\\\]|\\\\.)*)'");
    private static final Duration ANSWER = Duration.ofSeconds(30);

    /** How the run is set up: what every node needs to start. */
    record Settings(String cookie, int tickTimeSeconds, long tickMillis, int batch, long lifeMillis,
                    long roundMillis, long graceMillis) {
    }

    final int index;
    final boolean ergon;
    final String name;
    private final SoakTopology topology;
    private final Settings settings;
    private final List<String> peers = new ArrayList<>();
    private final Map<String, Long> banked = new HashMap<>();
    private final List<String> bankedNotes = new ArrayList<>();
    private ErlangNode handle;
    private int incarnation;

    SoakNode(int index, boolean ergon, SoakTopology topology, Settings settings) {
        this.index = index;
        this.ergon = ergon;
        this.name = (ergon ? "ergon" : "erl") + index + "@" + topology.nameHost(index);
        this.topology = topology;
        this.settings = settings;
    }

    void peers(List<SoakNode> all) {
        all.stream().filter(n -> n != this).forEach(n -> peers.add(n.name));
    }

    int incarnation() {
        return incarnation;
    }

    /** Starts a new incarnation and its workload. */
    void start() throws IOException {
        incarnation++;
        handle = ergon ? startErgon() : startErlang();
    }

    private ErlangNode startErlang() throws IOException {
        String port = Integer.toString(topology.listenPort(index));
        ErlangNode.Launcher base = topology.launcher(index);
        ErlangNode.Launcher noCrashDump = (command, env) -> {
            Map<String, String> all = new HashMap<>(env);
            all.put("ERL_CRASH_DUMP_SECONDS", "0");
            return base.start(command, all);
        };
        ErlangNode n = ErlangNode.start(noCrashDump, "-name", name,
                "{" + topology.listenAddress(index).replace('.', ',') + "}", settings.cookie(), topology.epmdPort(),
                "-kernel", "inet_dist_listen_min", port, "inet_dist_listen_max", port,
                "-kernel", "net_ticktime", Integer.toString(settings.tickTimeSeconds()));
        try {
            n.loadResource("soak");
            String peerList = peers.stream().map(p -> "'" + p + "'").toList().toString().replace(" ", "");
            n.eval("soak:start(" + peerList + "," + settings.tickMillis() + "," + settings.batch() + ","
                    + settings.lifeMillis() + "," + settings.roundMillis() + "," + settings.graceMillis() + ").");
            return n;
        } catch (IOException | RuntimeException e) {
            n.kill();
            throw e;
        }
    }

    private ErlangNode startErgon() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx256m", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), SoakNodeMain.class.getName(), name, settings.cookie(),
                Integer.toString(topology.epmdPort()), topology.listenAddress(index),
                Integer.toString(topology.listenPort(index)), Integer.toString(settings.tickTimeSeconds()),
                String.join(",", peers), Long.toString(settings.tickMillis()), Integer.toString(settings.batch()),
                Long.toString(settings.lifeMillis()), Long.toString(settings.roundMillis()),
                Long.toString(settings.graceMillis()));
        return ErlangNode.attach(name, topology.launcher(index).start(cmd, Map.of()));
    }

    /** The living incarnation's counters (and, for Ergon, threads, fds and heap). */
    Map<String, Long> stats() {
        return parse(handle.eval("soak:stats().", ANSWER));
    }

    static Map<String, Long> parse(String stats) {
        Map<String, Long> out = new HashMap<>();
        Matcher m = PAIR.matcher(stats);
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return out;
    }

    /** The counters of every incarnation so far, the living one's as {@code current} says. */
    Map<String, Long> totals(Map<String, Long> current) {
        Map<String, Long> all = new HashMap<>(banked);
        current.forEach((k, v) -> all.merge(k, v, Long::sum));
        return all;
    }

    /** The violation notes of every incarnation so far. */
    List<String> notes() {
        List<String> all = new ArrayList<>(bankedNotes);
        all.addAll(currentNotes());
        return all;
    }

    private List<String> currentNotes() {
        List<String> out = new ArrayList<>();
        Matcher m = NOTE.matcher(handle.eval("soak:violations().", ANSWER));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Kills the node with SIGKILL, keeping what it counted until now. */
    void kill9() {
        try {
            Map<String, Long> last = stats();
            last.forEach((k, v) -> {
                if (k.equals("outstanding")) {
                    // its watcher dies with it: these links and monitors can no longer fire
                    banked.merge("orphaned", v, Long::sum);
                } else if (!k.equals("late") && !k.equals("threads") && !k.equals("fds") && !k.equals("heap")) {
                    banked.merge(k, v, Long::sum);
                }
            });
            bankedNotes.addAll(currentNotes());
        } catch (RuntimeException e) {
            bankedNotes.add("could not read " + name + "'s counters before killing it: " + e.getMessage());
        }
        handle.kill();
    }

    /** Whether the living incarnation's process is still there. */
    boolean alive() {
        return ProcessHandle.of(handle.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    void suspend() throws IOException, InterruptedException {
        handle.suspend();
    }

    void resume() throws IOException, InterruptedException {
        handle.resume();
    }

    /** {@code soak:kill_and_wait(Name)}: {@code {restarted,Ms}}, {@code not_restarted} or {@code not_running}. */
    String killAndWait(String registered) {
        return handle.eval("soak:kill_and_wait(" + registered + ").", ANSWER);
    }

    void quiesce() {
        handle.eval("soak:quiesce().", ANSWER);
    }

    /** The last lines the node printed (its logs), for a report of what went wrong. */
    List<String> tail(int lines) {
        List<String> all = handle.output();
        return all.subList(Math.max(0, all.size() - lines), all.size());
    }

    void stop() {
        if (handle != null) {
            handle.close();
        }
    }
}
