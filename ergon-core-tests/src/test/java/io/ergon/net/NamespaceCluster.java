package io.ergon.net;

import io.ergon.node.NodeOptions;
import io.ergon.testing.FaultProxyMain;
import io.ergon.testing.NetNamespaces.Host;
import io.ergon.testing.NetNamespaces;
import io.ergon.testkit.ChildJvm;
import io.ergon.testkit.ErlangNode;
import io.ergon.testkit.TestPki;
import io.ergon.testkit.TestPki.Identity;
import io.ergon.testkit.TestPki.KeyKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Nodes on namespace hosts ({@link NetNamespaces}), for the multi-host tests: Erlang nodes and Ergon nodes (each in
 * a JVM of its own, {@link HostNodeMain}), all without EPMD on one shared port, each on its own host, with TLS and
 * mutual authentication from one CA (each host's certificate names its hostname and address). Everything is
 * stopped, and the namespaces removed, on {@link #close()}. A test that fails prints what its clusters' nodes
 * printed, with {@link PrintOnFailure} registered.
 */
final class NamespaceCluster implements AutoCloseable {
    static final int PORT = 4370;
    static final String COOKIE = "across_hosts";
    private static final Duration START = Duration.ofSeconds(60);
    /** Lines of each node's output printed for a failed test. */
    private static final int TRANSCRIPT_LINES = 150;
    /** The clusters made lately (open or closed), for {@link PrintOnFailure}. */
    private static final Deque<NamespaceCluster> RECENT = new ArrayDeque<>();

    final NetNamespaces net;
    final TestPki pki;
    private final List<AutoCloseable> started = new ArrayList<>();

    private NamespaceCluster(NetNamespaces net, TestPki pki) {
        this.net = net;
        this.pki = pki;
    }

    /** Skips the calling test, with a message, unless namespaces, Erlang and openssl are all there. */
    static void assumeAvailable() {
        NetNamespaces.assumeUsable();
        ErlangNode.assumeAvailable();
        TestPki.assumeAvailable();
    }

    /** Makes the hosts and the CA, in {@code dir}. */
    static NamespaceCluster create(Path dir, String... hostnames) throws IOException {
        NetNamespaces net = NetNamespaces.create(hostnames);
        try {
            NamespaceCluster cluster = new NamespaceCluster(net, TestPki.create(dir));
            synchronized (RECENT) {
                RECENT.addFirst(cluster);
                if (RECENT.size() > 3) {
                    RECENT.removeLast();
                }
            }
            return cluster;
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
    }

    Host host(String hostname) {
        return net.host(hostname);
    }

    /** An Erlang {@code ssl_dist_optfile} for {@code host}, with a certificate from the trusted CA. */
    Path optFile(Host host) throws IOException {
        return optFile(host, false);
    }

    /** The same with a certificate from another CA, which the other nodes do not trust. */
    Path untrustedOptFile(Host host) throws IOException {
        return optFile(host, true);
    }

    private Path optFile(Host host, boolean byOtherCa) throws IOException {
        Identity id = pki.issue(host.name() + (byOtherCa ? "-untrusted" : ""), KeyKind.EC_PKCS8, byOtherCa, false,
                "DNS:" + host.name() + ",IP:" + host.address());
        return pki.erlangOptFile(id);
    }

    /**
     * {@code erl -name ALIVE@HOST} over TLS, without EPMD on {@link #PORT}, with net_ticktime in seconds. Its
     * net_setuptime is 20 s, not 7: its first TLS connection to a JVM just started (JSSE not yet compiled) took longer
     * than 7 s on a loaded machine, and the ping that made it said pang. No test here waits a setup time out.
     */
    ErlangNode startErlang(Host host, String alive, int tickSeconds) throws IOException {
        ErlangNode erl = ErlangNode.startLongName(net.inHost(host, List.of()), alive, host.name(), host.address(),
                COOKIE, 1, "-proto_dist", "inet_tls", "-ssl_dist_optfile", optFile(host).toString(),
                "-erl_epmd_port", Integer.toString(PORT), "-kernel", "net_ticktime", Integer.toString(tickSeconds),
                "-kernel", "net_setuptime", "20");
        synchronized (started) {
            started.add(erl);
        }
        return erl;
    }

    /** An Ergon node {@code ALIVE@HOST} in a JVM on {@code host} ({@link HostNodeMain}), started and READY. */
    ChildJvm startErgon(Host host, String alive, Duration tick, Path optFile) throws IOException {
        return startErgon(host, alive, tick, optFile, NodeOptions.defaults().distBufferBusyLimit());
    }

    /**
     * The same with that {@link NodeOptions#distBufferBusyLimit}. The JVM resolves hostnames with the host's own
     * {@code /etc/hosts} ({@link NetNamespaces#resolveOn} changes it).
     */
    ChildJvm startErgon(Host host, String alive, Duration tick, Path optFile, long busyLimit) throws IOException {
        String name = alive + "@" + host.name();
        return startJava(host, HostNodeMain.class, name, COOKIE, Integer.toString(PORT),
                Long.toString(tick.toMillis()), optFile == null ? "plain" : optFile.toString(), Long.toString(busyLimit));
    }

    /** A {@link FaultProxyMain} on {@code host}, at its address and {@link #PORT}, to {@code target}'s node port. */
    ChildJvm startProxy(Host host, Host target, Duration latency, Duration jitter) throws IOException {
        return startJava(host, FaultProxyMain.class,
                host.address(), Integer.toString(PORT), target.address(), Integer.toString(PORT),
                Long.toString(latency.toMillis()), Long.toString(jitter.toMillis()));
    }

    private ChildJvm startJava(Host host, Class<?> main, String... args) throws IOException {
        ChildJvm child = ChildJvm.start(net.inHost(host, List.of()), main, START, args);
        synchronized (started) {
            started.add(child);
        }
        return child;
    }

    /** The line an Ergon child printed in answer to {@code command}: the first after it that starts with one of
     * {@code answers}. */
    static String ask(ChildJvm child, String command, Duration timeout, String... answers) {
        int from = child.lines().size();
        try {
            child.send(command);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write to " + child + ": " + e.getMessage(), e);
        }
        return child.awaitLine(from, line -> {
            for (String a : answers) {
                if (line.startsWith(a)) {
                    return true;
                }
            }
            return false;
        }, timeout);
    }

    /** The last lines each node of this cluster printed. */
    String transcript() {
        StringBuilder out = new StringBuilder();
        List<AutoCloseable> nodes;
        synchronized (started) {
            nodes = List.copyOf(started);
        }
        for (AutoCloseable node : nodes) {
            List<String> lines = switch (node) {
                case ChildJvm child -> child.lines();
                case ErlangNode erl -> erl.output();
                default -> List.of();
            };
            out.append("---- ").append(node).append(", its last ").append(TRANSCRIPT_LINES).append(" lines\n");
            lines.subList(Math.max(0, lines.size() - TRANSCRIPT_LINES), lines.size())
                    .forEach(l -> out.append(l).append('\n'));
        }
        return out.toString();
    }

    /**
     * Prints, when a test fails, what the nodes of the clusters made lately printed: a failure on a loaded CI
     * machine is then explained by its own log. Register it with {@code @RegisterExtension}.
     */
    static final class PrintOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            List<NamespaceCluster> clusters;
            synchronized (RECENT) {
                clusters = List.copyOf(RECENT);
            }
            for (NamespaceCluster cluster : clusters) {
                System.err.println("==== " + context.getDisplayName() + " failed; a cluster's nodes printed:\n"
                        + cluster.transcript());
            }
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : started.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("NamespaceCluster: stopping " + c + " failed: " + e);
            }
        }
        net.close();
    }
}
