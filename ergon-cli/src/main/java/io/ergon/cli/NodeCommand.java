package io.ergon.cli;

import io.ergon.net.discovery.Discovery;
import io.ergon.net.discovery.Membership;
import io.ergon.node.Node;
import io.ergon.node.NodeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ergon node}: runs a distributed node until it is told to stop (SIGTERM, Ctrl-C), then stops gracefully. */
@Command(name = "node", description = "Runs a distributed Ergon node until SIGTERM or Ctrl-C, then shuts it down "
        + "gracefully.")
final class NodeCommand implements Callable<Integer> {
    @Mixin
    NodeNameOptions naming;

    @Option(names = {"-config", "--config"}, paramLabel = "FILE", description = "A properties file of ergon.* "
            + "settings (ergon.name, ergon.cookie, ergon.epmd-port, ...; see NodeConfig); the ERGON_* environment "
            + "variables override it, and the options above override both.")
    Path config;

    @Option(names = {"-discovery", "--discovery"}, paramLabel = "SOURCE", description = "Connect to the peers a "
            + "discovery source lists, and follow them as they come and go: static:a@host1,b@host2=PORT, "
            + "dns:ALIVE@NAME (A/AAAA records), srv:ALIVE@NAME (SRV records; dns://SERVER[:PORT]/... or "
            + "srv://SERVER[:PORT]/... asks one DNS server), etcd:http://HOST:PORT/PREFIX/ (registers this node "
            + "there too).")
    String discovery;

    @Override
    public Integer call() throws Exception {
        NodeConfig settings;
        try {
            settings = config != null ? NodeConfig.load(config) : NodeConfig.fromEnvironment();
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("ergon node: " + (e instanceof IOException ? "cannot read " + config + ": " : "")
                    + e.getMessage());
            return 2;
        }
        String name;
        if (naming.sname != null || naming.name != null) {
            name = naming.nodeName("ergon");
        } else if (settings.name() != null) {
            name = settings.name();
        } else {
            System.err.println("ergon node: give the node a name with -sname NAME or -name NAME (or ergon.name in "
                    + "--config, or ERGON_NAME)");
            return 2;
        }
        Discovery source = null;
        if (discovery != null) {
            try {
                source = Discovery.parse(discovery);
            } catch (IllegalArgumentException e) {
                System.err.println("ergon node: --discovery: " + e.getMessage());
                return 2;
            }
        }
        Node node = Node.start(name, naming.options(settings.options()));
        if (source != null) {
            try {
                Membership.start(node, source);
            } catch (IOException e) {
                System.err.println("ergon node: cannot start discovery from " + source + ": " + e.getMessage());
                node.close();
                return 1;
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("ergon node: stopping " + node.name() + "...");
            boolean clean = node.shutdown(node.options().shutdownTimeout());
            System.out.println("ergon node: " + node.name() + " stopped" + (clean ? "" : " (some processes did not "
                    + "stop in time)"));
            stopped.countDown();
        }, "ergon-node-shutdown"));
        System.out.println("ergon node: " + node.name() + " is running (distribution port " + node.port()
                + (source == null ? "" : ", following the peers of " + source) + "); SIGTERM or Ctrl-C stops it");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
