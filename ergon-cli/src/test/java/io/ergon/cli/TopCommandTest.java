package io.ergon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ergon.net.EpmdServer;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code ergon top} in its non-interactive mode ({@code --once}, {@code --frames}) against an Ergon node and a real
 * Erlang node: the process whose mailbox grows heads the mailbox-sorted table, with its queue length.
 */
class TopCommandTest {
    private static final String COOKIE = "cli";

    /** The first process line after the header of the last frame in {@code out}. */
    private static String firstRow(String out) {
        List<String> lines = out.lines().toList();
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("PID ")) {
                header = i;
            }
        }
        assertThat(header).as("a header in:\n" + out).isNotNegative();
        return lines.get(header + 1);
    }

    @Test
    void anErgonNodesFullestMailboxComesFirst() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Node target = Node.start("cli_top@localhost", NodeOptions.defaults().distributed(true).cookie(COOKIE)
                     .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()));
             Mailbox inbox = target.mailbox("inbox")) {
            for (int i = 0; i < 300; i++) {
                target.send("inbox", i);
            }
            String port = Integer.toString(epmd.port());
            CliTest.Result once = CliTest.run("top", "cli_top@localhost", "--once", "-n", "3", "-setcookie", COOKIE,
                    "-epmd-port", port);
            assertThat(once.status()).isZero();
            assertThat(once.out()).startsWith("cli_top@localhost  release ").contains("processes ");
            assertThat(firstRow(once.out())).contains("inbox").containsPattern("\\s300\\s");
            assertThat(once.out().lines().count()).as("summary, header, 3 rows").isEqualTo(5);

            CliTest.Result frames = CliTest.run("top", "cli_top@localhost", "--frames", "2", "--interval", "0.1",
                    "--sort", "memory", "-setcookie", COOKIE, "-epmd-port", port);
            assertThat(frames.status()).isZero();
            assertThat(frames.out()).contains("REDS/S"); // the second frame shows rates
            assertThat(CliTest.run("top", "cli_top@localhost", "--once", "--sort", "size").status()).isEqualTo(2);
            assertThat(CliTest.run("top", "nobody@localhost", "--once", "-setcookie", COOKIE, "-epmd-port", port)
                    .status()).isEqualTo(1);
        }
    }

    @Test
    void anErlangNodeIsReadTheSameWay() throws Exception {
        assumeTrue(onPath("erl"), "erl is not on the PATH (Debian: apt-get install erlang-nox)");
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            // the node starts its distribution only once 'stuck' holds its 250 messages: once it answers a ping,
            // top finds them (with -sname it answered before its -eval had run, on a loaded machine)
            ProcessBuilder pb = new ProcessBuilder("erl", "-setcookie", COOKIE, "-noshell", "-eval",
                    "register(stuck, spawn(fun() -> receive never -> ok end end)), "
                    + "[stuck ! X || X <- lists:seq(1, 250)], "
                    + "{ok, _} = net_kernel:start([erl_top@localhost, shortnames]).");
            pb.environment().put("ERL_EPMD_PORT", Integer.toString(epmd.port()));
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process erl = pb.start();
            try {
                String port = Integer.toString(epmd.port());
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                        CliTest.run("ping", "erl_top@localhost", "-setcookie", COOKIE, "-epmd-port", port).status()
                                == 0);
                CliTest.Result once = CliTest.run("top", "erl_top@localhost", "--once", "-n", "5", "-setcookie",
                        COOKIE, "-epmd-port", port);
                assertThat(once.status()).isZero();
                assertThat(once.out()).startsWith("erl_top@localhost  release 25  processes ");
                assertThat(firstRow(once.out())).contains("stuck").containsPattern("\\s250\\s")
                        .contains("prim_eval:'receive'/2");
            } finally {
                erl.destroy();
                if (!erl.waitFor(10, TimeUnit.SECONDS)) {
                    erl.destroyForcibly();
                }
            }
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
