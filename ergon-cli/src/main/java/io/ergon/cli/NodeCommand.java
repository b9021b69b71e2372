package io.ergon.cli;

import io.ergon.node.Node;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ergon node}: runs a distributed node until it is told to stop (SIGTERM, Ctrl-C), then stops gracefully. */
@Command(name = "node", description = "Runs a distributed Ergon node until SIGTERM or Ctrl-C, then shuts it down "
        + "gracefully.")
final class NodeCommand implements Callable<Integer> {
    @Mixin
    NodeNameOptions naming;

    @Override
    public Integer call() throws Exception {
        if (naming.sname == null && naming.name == null) {
            System.err.println("ergon node: give the node a name with -sname NAME or -name NAME");
            return 2;
        }
        Node node = Node.start(naming.nodeName("ergon"), naming.options());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("ergon node: stopping " + node.name() + "...");
            boolean clean = node.shutdown(node.options().shutdownTimeout());
            System.out.println("ergon node: " + node.name() + " stopped" + (clean ? "" : " (some processes did not "
                    + "stop in time)"));
            stopped.countDown();
        }, "ergon-node-shutdown"));
        System.out.println("ergon node: " + node.name() + " is running (distribution port " + node.port()
                + "); SIGTERM or Ctrl-C stops it");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
