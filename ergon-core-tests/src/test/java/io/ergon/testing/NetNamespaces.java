package io.ergon.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A few "hosts" for multi-host tests, each a Linux network namespace of its own, joined by veth pairs to a bridge in
 * one more namespace (so nothing is added to the machine's own namespace, and traffic can only reach the addresses of
 * the namespaces made here). Each host has loopback up, one address in a private {@code /24}, and a hosts file that
 * names every host: {@code ip netns exec} bind-mounts it over {@code /etc/hosts} (Erlang's resolver reads it), and a
 * JVM reads it with {@code -Djdk.net.hosts.file=} ({@link #javaHostsFileOption()}).
 *
 * <p>Commands run in a host through {@link #start} (a process tracked by pid) or {@link #run} (bounded). A host is
 * cut off the bridge with {@link #partition} and put back with {@link #heal}; {@link #limitRate} shapes both
 * directions of its link with a {@code tbf} qdisc. {@link #close()} stops what was started here (by pid, and any
 * process left in these namespaces), deletes the namespaces and the hosts files, even after a failure. Namespace
 * names carry the owning JVM's pid, so a run removes the leftovers of earlier runs that crashed (their JVM is gone)
 * and never touches those of a run still going.
 *
 * <p>Tests call {@link #assumeUsable()} first: without root or a working {@code ip netns}/{@code tc}, they skip
 * with a message.
 */
public final class NetNamespaces implements AutoCloseable {
    private static final String PREFIX = "ergon-t";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    /** One host: its name (its hostname in the hosts file), its namespace, its address, and its bridge port. */
    public record Host(String name, String namespace, String address, String bridgePort) {
        /** The host's interface inside its namespace. */
        public String iface() {
            return "eth0";
        }
    }

    private final String runPrefix;
    private final String bridgeNamespace;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final List<Process> started = new ArrayList<>();
    private final Path hostsFile;
    private boolean closed;

    private NetNamespaces(String runPrefix, Path hostsFile) {
        this.runPrefix = runPrefix;
        this.bridgeNamespace = runPrefix + "br";
        this.hostsFile = hostsFile;
    }

    /** Why namespaces cannot be used here, or null if they can. */
    public static String unusableBecause() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not running as root (network namespaces need it)";
        }
        for (String tool : List.of("ip", "tc")) {
            if (!onPath(tool)) {
                return "'" + tool + "' is not installed (Debian package iproute2)";
            }
        }
        String probe = PREFIX + "probe-" + ProcessHandle.current().pid();
        try {
            Result add = exec(List.of("ip", "netns", "add", probe));
            exec(List.of("ip", "netns", "del", probe));
            if (add.code != 0) {
                return "'ip netns add' does not work here: " + add.output.strip();
            }
        } catch (IOException e) {
            return "'ip netns' does not work here: " + e.getMessage();
        }
        return null;
    }

    /** Skips the calling test, with the reason, when namespaces cannot be used. */
    public static void assumeUsable() {
        String why = unusableBecause();
        assumeTrue(why == null, () -> "skipping this multi-host test: " + why);
    }

    /**
     * Makes one namespace per host name, in this order, with addresses {@code 10.213.N.2}, {@code .3}, ... on a
     * subnet the machine's own routes do not use.
     *
     * @param names hostnames: letters, digits, dots and dashes
     */
    public static NetNamespaces create(String... names) throws IOException {
        removeStale();
        String runPrefix = PREFIX + ProcessHandle.current().pid() + "-" + Long.toString(System.nanoTime() % 46656, 36)
                + "-";
        Path dir = Files.createTempDirectory("ergon-netns");
        NetNamespaces ns = new NetNamespaces(runPrefix, dir.resolve("hosts"));
        try {
            ns.build(freeSubnet(), names);
            return ns;
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    private void build(String subnet, String[] names) throws IOException {
        check("ip", "netns", "add", bridgeNamespace);
        check("ip", "-n", bridgeNamespace, "link", "add", "br0", "type", "bridge");
        check("ip", "-n", bridgeNamespace, "link", "set", "br0", "up");
        StringBuilder table = new StringBuilder("127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n");
        int i = 0;
        for (String name : names) {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9.-]*")) {
                throw new IllegalArgumentException("not a hostname: " + name);
            }
            Host h = new Host(name, runPrefix + i, subnet + "." + (i + 2), "p" + i);
            hosts.put(name, h);
            check("ip", "netns", "add", h.namespace());
            check("ip", "-n", h.namespace(), "link", "set", "lo", "up");
            check("ip", "-n", bridgeNamespace, "link", "add", h.bridgePort(), "type", "veth", "peer", "name",
                    h.iface(), "netns", h.namespace());
            check("ip", "-n", bridgeNamespace, "link", "set", h.bridgePort(), "master", "br0", "up");
            check("ip", "-n", h.namespace(), "addr", "add", h.address() + "/24", "dev", h.iface());
            check("ip", "-n", h.namespace(), "link", "set", h.iface(), "up");
            table.append(h.address()).append(' ').append(name).append('\n');
            i++;
        }
        Files.writeString(hostsFile, table.toString());
        for (Host h : hosts.values()) {
            Path etc = Path.of("/etc/netns", h.namespace());
            Files.createDirectories(etc);
            Files.writeString(etc.resolve("hosts"), table.toString());
        }
    }

    /** A {@code 10.213.N} prefix that no route of this machine's namespace covers. */
    private static String freeSubnet() throws IOException {
        String routes = exec(List.of("ip", "-4", "route", "show", "table", "all")).output;
        int start = (int) (ProcessHandle.current().pid() % 200);
        for (int k = 0; k < 250; k++) {
            String net = "10.213." + (1 + (start + k) % 250);
            if (!routes.contains(net + ".") && !routes.contains("10.0.0.0/8") && !routes.contains("10.213.0.0/16")) {
                return net;
            }
        }
        throw new IOException("no free 10.213.N.0/24 subnet: the machine routes them all");
    }

    /** The host named {@code name}. */
    public Host host(String name) {
        Host h = hosts.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no host " + name + " (there are " + hosts.keySet() + ")");
        }
        return h;
    }

    /** The hosts file every host uses. */
    public Path hostsFile() {
        return hostsFile;
    }

    /**
     * Makes {@code hostname} resolve to {@code address} for the commands started on {@code on} from now on (in the
     * hosts file {@code ip netns exec} mounts there; a JVM started with {@link #javaHostsFileOption()} still reads
     * the shared one): to send one host's traffic for another through a proxy, say.
     */
    public void resolveOn(Host on, String hostname, String address) throws IOException {
        Path file = Path.of("/etc/netns", on.namespace(), "hosts");
        StringBuilder table = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            table.append(line.endsWith(" " + hostname) ? address + " " + hostname : line).append('\n');
        }
        Files.writeString(file, table.toString());
    }

    /** The JVM option that makes Java resolve hostnames with {@link #hostsFile()}. */
    public String javaHostsFileOption() {
        return "-Djdk.net.hosts.file=" + hostsFile;
    }

    /** {@code command} prefixed so that it runs in {@code host}'s namespace. */
    public List<String> inHost(Host host, List<String> command) {
        List<String> all = new ArrayList<>(List.of(tool("ip"), "netns", "exec", host.namespace()));
        all.addAll(command);
        return all;
    }

    /**
     * Starts {@code command} in {@code host} (stdout and stderr merged); {@link #close()} stops it if the test does
     * not. {@code ip netns exec} execs the command, so the process's pid is the command's.
     */
    public synchronized Process start(Host host, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(inHost(host, command)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** A finished command's exit code and output. */
    public record Result(int code, String output) {
    }

    /** Runs {@code command} in {@code host} to its end, within {@code timeout}. */
    public Result run(Host host, Duration timeout, String... command) throws IOException {
        return exec(inHost(host, List.of(command)), timeout);
    }

    /** Cuts {@code host} off the bridge: every connection to and from it goes silent (no reset, no FIN). */
    public void partition(Host host) throws IOException {
        check("ip", "-n", bridgeNamespace, "link", "set", host.bridgePort(), "down");
    }

    /** Puts {@code host} back on the bridge. */
    public void heal(Host host) throws IOException {
        check("ip", "-n", bridgeNamespace, "link", "set", host.bridgePort(), "up");
    }

    /**
     * Limits both directions of {@code host}'s link to {@code rate} (tc's syntax, e.g. {@code 2mbit}) with a token
     * bucket ({@code tbf}) of {@code burst} bytes that queues up to {@code latency} worth of packets (tc's syntax,
     * e.g. {@code 50ms}).
     */
    public void limitRate(Host host, String rate, int burst, String latency) throws IOException {
        List<String> tbf = List.of("root", "tbf", "rate", rate, "burst", Integer.toString(burst), "latency", latency);
        List<String> out = new ArrayList<>(List.of("tc", "-n", host.namespace(), "qdisc", "replace", "dev",
                host.iface()));
        out.addAll(tbf);
        check(out.toArray(String[]::new));
        List<String> in = new ArrayList<>(List.of("tc", "-n", bridgeNamespace, "qdisc", "replace", "dev",
                host.bridgePort()));
        in.addAll(tbf);
        check(in.toArray(String[]::new));
    }

    /** Removes the rate limit of {@link #limitRate}. */
    public void clearRate(Host host) throws IOException {
        check("tc", "-n", host.namespace(), "qdisc", "del", "dev", host.iface(), "root");
        check("tc", "-n", bridgeNamespace, "qdisc", "del", "dev", host.bridgePort(), "root");
    }

    /**
     * {@code tc -s qdisc show} of the host's link, going out ({@code out: ...}, its interface) and coming in
     * ({@code in: ...}, its bridge port): their counters show whether a limit was hit.
     */
    public String qdiscStats(Host host) throws IOException {
        return "out: " + exec(List.of("tc", "-n", host.namespace(), "-s", "qdisc", "show", "dev", host.iface())).output
                + "in: " + exec(List.of("tc", "-n", bridgeNamespace, "-s", "qdisc", "show", "dev", host.bridgePort()))
                .output;
    }

    /** Stops every process started here and left in these namespaces, then deletes the namespaces. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : started) {
            stop(p.toHandle());
        }
        List<String> namespaces = new ArrayList<>();
        hosts.values().forEach(h -> namespaces.add(h.namespace()));
        namespaces.add(bridgeNamespace);
        removeNamespaces(namespaces);
    }

    /** Removes the namespaces of earlier runs whose JVM is gone. */
    private static void removeStale() throws IOException {
        List<String> stale = new ArrayList<>();
        for (String line : exec(List.of("ip", "netns", "list")).output.split("\n")) {
            String name = line.split(" ")[0];
            if (!name.startsWith(PREFIX) || name.startsWith(PREFIX + "probe")) {
                continue;
            }
            String digits = name.substring(PREFIX.length()).split("-")[0];
            try {
                if (ProcessHandle.of(Long.parseLong(digits)).isEmpty()) {
                    stale.add(name);
                }
            } catch (NumberFormatException notOurs) {
                // a name with our prefix but not our shape: leave it
            }
        }
        removeNamespaces(stale);
    }

    private static void removeNamespaces(List<String> namespaces) {
        for (String ns : namespaces) {
            try {
                for (String pid : exec(List.of("ip", "netns", "pids", ns)).output.split("\\s+")) {
                    if (pid.matches("\\d+")) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(NetNamespaces::stop);
                    }
                }
                exec(List.of("ip", "netns", "del", ns));
                deleteTree(Path.of("/etc/netns", ns));
            } catch (IOException e) {
                System.err.println("NetNamespaces: could not remove " + ns + ": " + e.getMessage());
            }
        }
    }

    /** Stops a process and its descendants: TERM, then KILL after a few seconds. */
    private static void stop(ProcessHandle p) {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.add(p);
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static void check(String... command) throws IOException {
        Result r = exec(List.of(command));
        if (r.code != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + r.code + "): " + r.output.strip());
        }
    }

    private static Result exec(List<String> command) throws IOException {
        return exec(command, COMMAND_TIMEOUT);
    }

    private static Result exec(List<String> command, Duration timeout) throws IOException {
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, tool(command.get(0)));
        Process p = new ProcessBuilder(resolved).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            var output = p.getInputStream();
            var text = new java.util.concurrent.CompletableFuture<String>();
            Thread.ofVirtual().start(() -> {
                try {
                    text.complete(new String(output.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    text.complete("");
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(p.toHandle());
                throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(p.exitValue(), text.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("no output from " + command, e);
        }
    }

    private static boolean onPath(String tool) {
        return !tool(tool).equals(tool);
    }

    /** The path of a command on the PATH or in an sbin directory (where iproute2 lives), else the bare name. */
    private static String tool(String name) {
        if (name.contains("/")) {
            return name;
        }
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return Path.of(d, name).toString();
            }
        }
        return name;
    }
}
