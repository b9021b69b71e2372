package io.ergon.cli;

import io.ergon.net.Rpc;
import io.ergon.net.RpcException;
import io.ergon.node.Node;
import io.ergon.term.TermFormat;
import io.ergon.term.TermParser;
import io.ergon.term.TermSyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ergon rpc NODE MOD FUN '[Args]'}: calls {@code MOD:FUN(Args...)} on a node (Erlang or Ergon) with erpc,
 * from a temporary hidden node, and prints the result in Erlang syntax.
 */
@Command(name = "rpc", description = "Calls MOD:FUN(Args) on a node (Erlang or Ergon) and prints the result in "
        + "Erlang syntax; exit status 1 if the call raised, 2 for bad arguments.")
final class RpcCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NODE", description = "The node, e.g. foo@localhost.")
    String target;

    @Parameters(index = "1", paramLabel = "MOD", description = "The module.")
    String module;

    @Parameters(index = "2", paramLabel = "FUN", description = "The function.")
    String function;

    @Parameters(index = "3", paramLabel = "ARGS", defaultValue = "[]",
            description = "The arguments as an Erlang list, e.g. '[1, two, <<\"three\">>]' (default: []).")
    String args;

    @Option(names = {"-timeout", "--timeout"}, paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for the result (default: 10).")
    long timeoutSeconds;

    @Mixin
    NodeNameOptions naming;

    @Override
    public Integer call() throws Exception {
        if (!target.contains("@")) {
            System.err.println("ergon rpc: a node name is alive@host, not '" + target + "'");
            return 2;
        }
        Object parsed;
        try {
            parsed = TermParser.parse(args);
        } catch (TermSyntaxException e) {
            System.err.println("ergon rpc: the arguments are not an Erlang term: " + e.getMessage());
            return 2;
        }
        if (!(parsed instanceof List<?> list)) {
            System.err.println("ergon rpc: the arguments must be a list, e.g. '[1, 2]', not " + args);
            return 2;
        }
        try (Node node = naming.startTemporaryNode("ergon_rpc", target)) {
            Object result = Rpc.of(node).call(target, module, function, list, Duration.ofSeconds(timeoutSeconds));
            System.out.println(TermFormat.format(result));
            return 0;
        } catch (RpcException e) {
            String stack = e.stack().isEmpty() ? "" : " " + TermFormat.format(e.stack());
            System.out.println("error: " + e.kind().name().toLowerCase() + " " + TermFormat.format(e.reason()) + stack);
            return 1;
        }
    }
}
