package io.ergon.cli;

import io.ergon.node.Node;
import io.ergon.observer.Observer;
import io.ergon.observer.ObserverOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ergon observer NODE}: the web observer of NODE's cluster (Erlang, Elixir and Ergon nodes alike), served
 * from a temporary hidden node until interrupted; read-only and on loopback unless told otherwise.
 */
@Command(name = "observer", description = "Serves a web observer of NODE's cluster (Erlang, Elixir or Ergon nodes): "
        + "nodes, processes, supervision trees, applications and message rates, live. Read-only unless "
        + "--allow-actions; listens on 127.0.0.1 unless --bind. Exit status 1 if the node cannot be reached.")
final class ObserverCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NODE", description = "A node of the cluster, e.g. foo@localhost.")
    String target;

    @Option(names = "--port", paramLabel = "P", defaultValue = "0",
            description = "The HTTP port (default: 0, any free port; the address is printed).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: 127.0.0.1, this machine only).")
    String bind;

    @Option(names = "--allow-actions", description = "Let the page kill processes and restart supervisors' "
            + "children (default: read-only, actions are refused with 403).")
    boolean allowActions;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds between samples of the cluster (default: 2).")
    double interval;

    @Option(names = "--scan-limit", paramLabel = "N", defaultValue = "5000",
            description = "Read at most N processes per node and sample (default: 5000).")
    int scanLimit;

    @Option(names = "--for", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop after SECONDS (default: 0, until interrupted).")
    double seconds;

    @Mixin
    NodeNameOptions naming;

    @Override
    public Integer call() throws Exception {
        if (!target.contains("@")) {
            System.err.println("ergon observer: a node name is alive@host, not '" + target + "'");
            return 2;
        }
        if (interval <= 0 || scanLimit < 1 || seconds < 0 || port < 0 || port > 65535) {
            System.err.println("ergon observer: --interval and --scan-limit must be positive, --for not negative, "
                    + "--port 0-65535");
            return 2;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            System.err.println("ergon observer: cannot listen on " + bind + ": unknown address");
            return 2;
        }
        try (Node node = naming.startTemporaryNode("ergon_observer", target)) {
            if (!node.ping(target)) {
                System.err.println("ergon observer: cannot reach " + target);
                return 1;
            }
            ObserverOptions options = ObserverOptions.defaults().bind(address).port(port).allowActions(allowActions)
                    .interval(Duration.ofMillis(Math.max(1, Math.round(interval * 1000)))).scanLimit(scanLimit);
            try (Observer observer = Observer.start(node, target, options)) {
                System.out.println("ergon observer: " + observer.uri() + " shows " + target + "'s cluster, from "
                        + node.name() + (allowActions ? " (actions allowed)" : " (read-only)")
                        + (seconds > 0 ? "" : "; Ctrl-C stops it"));
                System.out.flush();
                CountDownLatch never = new CountDownLatch(1);
                if (seconds > 0) {
                    never.await(Math.round(seconds * 1000), TimeUnit.MILLISECONDS); // the time asked for
                } else {
                    never.await();
                }
            }
            return 0;
        }
    }
}
