package io.ergon.cli;

import io.ergon.node.Node;
import io.ergon.node.NodeConnectException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ergon ping NODE}: {@code net_adm:ping/1} from a temporary hidden node; prints pong or pang. */
@Command(name = "ping", description = "Pings a node (Erlang or Ergon) from a temporary hidden node; prints pong or "
        + "pang and exits 0 or 1.")
final class PingCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NODE", description = "The node to ping, e.g. foo@localhost.")
    String target;

    @Mixin
    NodeNameOptions naming;

    @Override
    public Integer call() throws Exception {
        if (!target.contains("@")) {
            System.err.println("ergon ping: a node name is alive@host, not '" + target + "'");
            return 2;
        }
        try (Node node = naming.startTemporaryNode("ergon_ping", target)) {
            try {
                node.connectOrThrow(target);
            } catch (NodeConnectException e) {
                System.err.println("ergon ping: " + e.getMessage());
                System.out.println("pang");
                return 1;
            }
            boolean pong = node.ping(target);
            System.out.println(pong ? "pong" : "pang");
            return pong ? 0 : 1;
        }
    }
}
