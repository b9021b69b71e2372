package io.ergon.observer;

import io.ergon.gen.ChildSpec;
import io.ergon.gen.GenServer;
import io.ergon.gen.Strategy;
import io.ergon.gen.Supervisor;
import io.ergon.net.EpmdServer;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.SpawnOptions;
import io.ergon.term.Atom;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cluster the observer tests watch, on loopback with an EPMD of its own: Ergon node {@code obs_a} with a
 * supervisor {@code obs_sup} (children {@code worker}, a {@link Counter}, and {@code helper}), a mailbox
 * {@code sink} that never receives, Ergon node {@code obs_b}, optionally a real Erlang node {@code obs_erl} (with
 * a registered {@code sink} that never takes its messages), and the observer's own hidden node. Only the processes
 * it started are stopped, by their handles.
 */
final class TestCluster implements AutoCloseable {
    static final String COOKIE = "ergon_observer_test";

    /** A GenServer with a field sys:get_state shows. */
    static final class Counter extends GenServer {
        private final String label = "counted";
        private long count;

        @Override
        protected Object handleCall(Object request, From from) {
            return ++count;
        }
    }

    final EpmdServer epmd;
    final Node a;
    final Node b;
    final Node observerNode;
    final Mailbox sink;
    private Process erl;
    private final List<AutoCloseable> closing = new ArrayList<>();

    TestCluster(boolean withErlang) throws IOException {
        epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
        closing.add(epmd);
        a = Node.start("obs_a@localhost", options());
        closing.add(0, a);
        b = Node.start("obs_b@localhost", options());
        closing.add(0, b);
        if (!a.ping(b.name().name())) {
            throw new IOException("obs_a cannot reach obs_b");
        }
        a.spawn(() -> new Supervisor(Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(10, Duration.ofSeconds(5))
                .children(ChildSpec.worker("worker", Counter::new), ChildSpec.worker("helper", Counter::new))),
                SpawnOptions.none().register("obs_sup"));
        sink = a.mailbox("sink");
        if (withErlang) {
            ProcessBuilder pb = new ProcessBuilder("erl", "-sname", "obs_erl@localhost", "-setcookie", COOKIE,
                    "-noshell", "-start_epmd", "false", "-kernel", "inet_dist_use_interface", "{127,0,0,1}",
                    "-eval", "register(sink, spawn(fun() -> receive stop -> ok end end)), "
                    + "true = net_kernel:connect_node('obs_a@localhost'), "
                    + "true = net_kernel:connect_node('obs_b@localhost').");
            pb.environment().put("ERL_EPMD_PORT", Integer.toString(epmd.port()));
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            erl = pb.start();
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> !erl.isAlive() || a.nodes().contains(Atom.of("obs_erl@localhost")));
            } catch (RuntimeException e) {
                close();
                throw new IOException("the Erlang node did not join the cluster", e);
            }
            if (!erl.isAlive()) {
                close();
                throw new IOException("the Erlang node exited: " + erl.exitValue());
            }
        }
        observerNode = Node.start("obs_observer@localhost", options().hidden(true));
        closing.add(0, observerNode);
    }

    NodeOptions options() {
        return NodeOptions.defaults().distributed(true).cookie(COOKIE).epmdPort(epmd.port())
                .listenAddress(InetAddress.getLoopbackAddress());
    }

    static boolean erlangAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "erl"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (erl != null) {
            erl.destroy();
            try {
                if (!erl.waitFor(10, TimeUnit.SECONDS)) {
                    erl.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (AutoCloseable c : closing) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
    }
}
