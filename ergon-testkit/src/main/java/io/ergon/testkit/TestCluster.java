package io.ergon.testkit;

import io.ergon.net.EpmdServer;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Several nodes for one test (or one class, from a {@code static} field): Ergon nodes in this JVM or in JVMs of
 * their own, and real Erlang nodes, all on loopback, sharing a cookie and an EPMD of the test's own (so they meet no
 * other node of the machine), and all stopped after it.
 *
 * <pre>{@code
 * @RegisterExtension
 * final TestCluster cluster = TestCluster.create();
 *
 * @Test
 * void callsAcross() throws Exception {
 *     Node a = cluster.ergon("a");
 *     ErlangNode e = cluster.erlang("e");          // skips the test, with a message, without 'erl'
 *     a.connectOrThrow(e.name());
 * }
 * }</pre>
 */
public final class TestCluster extends Scoped {
    private final String cookie = "ergon-test-" + UUID.randomUUID().toString().substring(0, 8);
    private UnaryOperator<NodeOptions> customize = UnaryOperator.identity();
    private String[] erlangArgs = new String[0];
    private EpmdServer epmd;
    private final List<Node> ergonNodes = new ArrayList<>();
    private final List<ErlangNode> erlangNodes = new ArrayList<>();
    private final List<ChildJvm> children = new ArrayList<>();

    private TestCluster() {
    }

    public static TestCluster create() {
        return new TestCluster();
    }

    /** Changes the options of every Ergon node it starts (after the cluster's cookie and EPMD are set). */
    public TestCluster ergonOptions(UnaryOperator<NodeOptions> customize) {
        this.customize = customize;
        return this;
    }

    /** More {@code erl} arguments for every Erlang node it starts, e.g. {@code -kernel net_ticktime 4}. */
    public TestCluster erlangArgs(String... args) {
        this.erlangArgs = args.clone();
        return this;
    }

    /** The cookie every node of the cluster uses. */
    public String cookie() {
        return cookie;
    }

    /** The port of the cluster's EPMD, started on first use. */
    public int epmdPort() {
        return epmd().port();
    }

    /** The cluster's EPMD (e.g. to see who registered), started on first use. */
    public synchronized EpmdServer epmd() {
        if (epmd == null) {
            try {
                epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the test's EPMD on loopback", e);
            }
        }
        return epmd;
    }

    /** The options an Ergon node of this cluster starts with, before {@link #ergonOptions}. */
    public NodeOptions baseOptions() {
        return NodeOptions.defaults().distributed(true).cookie(cookie).epmdPort(epmdPort())
                .listenAddress(InetAddress.getLoopbackAddress()).shutdownTimeout(Duration.ofSeconds(5));
    }

    /** Starts the Ergon node {@code alive@localhost}. */
    public Node ergon(String alive) {
        return ergon(alive, UnaryOperator.identity());
    }

    /**
     * Starts the Ergon node {@code alive@localhost} with options of its own on top, e.g. {@code o -> o.hidden(true)}.
     */
    public synchronized Node ergon(String alive, UnaryOperator<NodeOptions> more) {
        Node node = Node.start(alive + "@localhost", more.apply(customize.apply(baseOptions())));
        ergonNodes.add(node);
        return node;
    }

    /**
     * Starts the Ergon node {@code alive@localhost} in a JVM of its own (so a test can kill it with {@code kill -9},
     * or stop it, as a crashed or hung host), after {@code setup} has run on it: a class with a public no-argument
     * constructor that is a {@code Consumer<Node>}, or null for a bare node. Stopped with the cluster.
     */
    public synchronized ChildJvm ergonJvm(String alive, Class<? extends Consumer<Node>> setup) {
        List<String> args = new ArrayList<>(List.of(alive + "@localhost", cookie, Integer.toString(epmdPort())));
        if (setup != null) {
            args.add(setup.getName());
        }
        try {
            ChildJvm child = ChildJvm.start(ErgonNodeMain.class, Duration.ofSeconds(60), args.toArray(String[]::new));
            children.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the Erlang node {@code alive@localhost}; skips the test, with a message, where Erlang is not installed.
     */
    public synchronized ErlangNode erlang(String alive, String... extraArgs) {
        ErlangNode.assumeAvailable();
        List<String> args = new ArrayList<>(List.of(erlangArgs));
        args.addAll(List.of(extraArgs));
        try {
            ErlangNode node = ErlangNode.start(alive, cookie, epmdPort(), args.toArray(String[]::new));
            erlangNodes.add(node);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every node it started (Ergon nodes first, so they see no node-down storms), then its EPMD. */
    @Override
    synchronized void stop() {
        RuntimeException failure = null;
        for (Node n : ergonNodes) {
            try {
                n.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        ergonNodes.clear();
        children.forEach(ChildJvm::close);
        children.clear();
        erlangNodes.forEach(ErlangNode::close);
        erlangNodes.clear();
        if (epmd != null) {
            epmd.close();
            epmd = null;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
