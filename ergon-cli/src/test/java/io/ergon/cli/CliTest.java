package io.ergon.cli;

import io.ergon.net.Rpc;
import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.net.EpmdServer;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.testkit.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CliTest {
    /** Runs the CLI in this JVM and returns its exit status and what it printed on stdout. */
    static Result run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int status = ErgonCli.run(args);
            return new Result(status, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    record Result(int status, String out) {
    }

    @Test
    void helpAndVersion() {
        Result help = run("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("demo", "node", "ping", "epmd", "names");
        Result version = run("--version");
        assertThat(version.status()).isZero();
        assertThat(version.out()).startsWith("ergon ");
    }

    @Test
    void demoRunsAndNarrates() {
        Result demo = run("demo");
        assertThat(demo.status()).isZero();
        assertThat(demo.out()).contains("Called it with Greet(\"Ada\")", "the watcher's link delivered: {'EXIT'",
                "the narrator's monitor delivered: {'DOWN'",
                "listener on demo_b@localhost received {hello,from_a}",
                "reply (a String travels as a UTF-8 binary): Hello demo_b from demo_a@localhost");
        if (io.ergon.cli.demo.DistributionDemo.erlInstalled()) {
            assertThat(demo.out()).contains("erlang: net_adm:ping(demo_a@localhost) -> pong",
                    "-> <<\"Hello Erlang from demo_a@localhost\">>", "java: ping(demo_erl@localhost) -> pong",
                    "-> Hello Java from Erlang");
        }
    }

    @Test
    void namesAndPing() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Node target = Node.start("cli_target@localhost", NodeOptions.defaults().distributed(true)
                     .cookie("cli").epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()))) {
            Result names = run("names", "-port", Integer.toString(epmd.port()));
            assertThat(names.status()).isZero();
            assertThat(names.out()).contains("name cli_target at port " + target.port());
            Result pong = run("ping", "cli_target@localhost", "-setcookie", "cli", "-epmd-port",
                    Integer.toString(epmd.port()));
            assertThat(pong.status()).isZero();
            assertThat(pong.out().strip()).isEqualTo("pong");
            Result pang = run("ping", "cli_target@localhost", "-setcookie", "other", "-epmd-port",
                    Integer.toString(epmd.port()));
            assertThat(pang.status()).isEqualTo(1);
            assertThat(pang.out().strip()).isEqualTo("pang");
        }
    }

    @Test
    void rpcPrintsTheResultInErlangSyntax() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Node target = Node.start("cli_rpc@localhost", NodeOptions.defaults().distributed(true)
                     .cookie("cli").epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()))) {
            Rpc.of(target).register("calc", "sum", args -> args.stream().mapToLong(a -> (Long) a).sum())
                    .register("calc", "pair", args -> io.ergon.term.Tuple.of(args.get(0), args.get(1)));
            String port = Integer.toString(epmd.port());
            Result sum = run("rpc", "cli_rpc@localhost", "calc", "sum", "[1, 2, 39]", "-setcookie", "cli",
                    "-epmd-port", port);
            assertThat(sum.status()).isZero();
            assertThat(sum.out().strip()).isEqualTo("42");
            Result pair = run("rpc", "cli_rpc@localhost", "calc", "pair", "[ok, <<\"text\">>]", "-setcookie",
                    "cli", "-epmd-port", port);
            assertThat(pair.out().strip()).isEqualTo("{ok,<<116,101,120,116>>}");
            Result node = run("rpc", "cli_rpc@localhost", "erlang", "node", "-setcookie", "cli", "-epmd-port", port);
            assertThat(node.out().strip()).isEqualTo("cli_rpc@localhost");
            Result undef = run("rpc", "cli_rpc@localhost", "calc", "missing", "[]", "-setcookie", "cli",
                    "-epmd-port", port);
            assertThat(undef.status()).isEqualTo(1);
            assertThat(undef.out()).startsWith("error: error undef [{calc,missing,[],[]}]");
            assertThat(run("rpc", "cli_rpc@localhost", "calc", "sum", "[1, 2", "-setcookie", "cli").status())
                    .isEqualTo(2);
            assertThat(run("rpc", "cli_rpc@localhost", "calc", "sum", "not_a_list", "-setcookie", "cli").status())
                    .isEqualTo(2);
        }
    }

    @Test
    void nodeRunsUntilSigtermThenStopsGracefully() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            runNodeUntilSigterm(epmd, "cli_node@localhost", java.util.List.of("-sname", "cli_node@localhost",
                    "-setcookie", "cli", "-epmd-port", Integer.toString(epmd.port())));
        }
    }

    /** The same node, named and configured by a properties file: the names of NodeConfig. */
    @Test
    void nodeTakesItsSettingsFromAConfigFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            Path file = dir.resolve("node.properties");
            java.nio.file.Files.writeString(file, "ergon.name = cli_cfg@localhost\nergon.cookie = cli\n"
                    + "ergon.epmd-port = " + epmd.port() + "\n");
            runNodeUntilSigterm(epmd, "cli_cfg@localhost", java.util.List.of("--config", file.toString()));
        }
    }

    @Test
    void tlsFlagsAreErlangsAndABadOneIsRefusedWithItsReason(@org.junit.jupiter.api.io.TempDir Path dir) {
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(run("node", "-sname", "cli_tls@localhost", "-proto_dist", "inet_tls").status()).isEqualTo(2);
            assertThat(run("ping", "x@localhost", "-proto_dist", "inet_tls", "-ssl_dist_optfile",
                    dir.resolve("missing.conf").toString()).status()).isEqualTo(2);
            assertThat(run("ping", "x@localhost", "-proto_dist", "inet_ssl").status()).isEqualTo(2);
        } finally {
            System.setErr(savedErr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "ergon node: -proto_dist inet_tls needs -ssl_dist_optfile FILE",
                "ergon ping: cannot read " + dir.resolve("missing.conf"),
                "ergon ping: -proto_dist is inet_tcp or inet_tls, not inet_ssl");
    }

    @Test
    void aBadConfigFileIsRefusedWithTheKeyAndValue(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("node.properties");
        java.nio.file.Files.writeString(file, "ergon.name = x\nergon.epmd-port = lots\n");
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(run("node", "--config", file.toString()).status()).isEqualTo(2);
            assertThat(run("node", "--config", dir.resolve("missing.properties").toString()).status()).isEqualTo(2);
        } finally {
            System.setErr(savedErr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("ergon.epmd-port = 'lots'", "cannot read");
    }

    /** {@code ergon node --discovery static:...} connects to the listed peer by itself, and follows it. */
    @Test
    void nodeConnectsToThePeersOfItsDiscoverySource() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Node peer = Node.start("cli_peer@127.0.0.1", NodeOptions.defaults().distributed(true).cookie("cli")
                     .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()))) {
            try (ChildJvm node = launchNode("-name", "cli_disc@127.0.0.1", "-setcookie", "cli",
                    "-epmd-port", Integer.toString(epmd.port()), "--discovery", "static:cli_peer@127.0.0.1")) {
                assertThat(node.lines().toString()).contains("following the peers of static [cli_peer@127.0.0.1]");
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                        .until(() -> peer.nodes().contains(io.ergon.term.Atom.of("cli_disc@127.0.0.1")));
            }
        }
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(run("node", "-sname", "cli_bad@localhost", "--discovery", "consul:x").status()).isEqualTo(2);
        } finally {
            System.setErr(savedErr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("ergon node: --discovery: a discovery source is");
    }

    /** Starts {@code ergon node ARGS} in a JVM of its own; returns once it says it is running. */
    private static ChildJvm launchNode(String... nodeArgs) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("node"));
        args.addAll(java.util.List.of(nodeArgs));
        return ChildJvm.start(ChildJvm.Options.defaults().readyWhen(l -> l.contains("is running")), ErgonCli.class,
                java.time.Duration.ofSeconds(30), args.toArray(String[]::new));
    }

    private static void runNodeUntilSigterm(EpmdServer epmd, String nodeName, java.util.List<String> nodeArgs)
            throws Exception {
        try (ChildJvm node = launchNode(nodeArgs.toArray(String[]::new))) {
            try (Node probe = Node.start("cli_probe@localhost", NodeOptions.defaults().distributed(true)
                    .cookie("cli").epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()))) {
                assertThat(probe.ping(nodeName)).isTrue();
            }
            // SIGTERM through the process handle (Process.destroy would also close the streams the goodbye is read from)
            assertThat(node.process().toHandle().destroy()).isTrue();
            node.awaitExit(java.time.Duration.ofSeconds(20));
            assertThat(node.lines().toString()).contains("stopping " + nodeName, nodeName + " stopped");
        }
    }
}
