package io.ergon.cli;

import io.ergon.observer.snapshot.NodeSnapshot;
import io.ergon.cli.top.TopTable;
import io.ergon.net.Rpc;
import io.ergon.net.RpcException;
import io.ergon.node.Node;
import io.ergon.term.TermFormat;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ergon top NODE}: the busiest processes of a node, Erlang or Ergon, refreshed every few seconds (like
 * {@code observer_cli}), read over rpc from a temporary hidden node. {@code --once} prints one frame and exits.
 */
@Command(name = "top", description = "Shows a node's processes (Erlang or Ergon), sorted by mailbox, reductions or "
        + "memory, refreshed until interrupted; --once prints one frame. Exit status 1 if the node cannot be read.")
final class TopCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NODE", description = "The node, e.g. foo@localhost.")
    String target;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "20",
            description = "How many processes to show (default: 20).")
    int lines;

    @Option(names = "--sort", paramLabel = "COLUMN", defaultValue = "MAILBOX",
            description = "mailbox, reductions or memory (default: mailbox).", converter = SortConverter.class)
    TopTable.Sort sort;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds between frames (default: 2).")
    double interval;

    @Option(names = "--once", description = "Print one frame and exit.")
    boolean once;

    @Option(names = "--frames", paramLabel = "K", defaultValue = "0",
            description = "Stop after K frames (default: 0, until interrupted).")
    int frames;

    @Option(names = "--scan-limit", paramLabel = "N", defaultValue = "10000",
            description = "Read at most N processes per frame (default: 10000).")
    int scanLimit;

    @Mixin
    NodeNameOptions naming;

    static final class SortConverter implements picocli.CommandLine.ITypeConverter<TopTable.Sort> {
        @Override
        public TopTable.Sort convert(String value) {
            try {
                return TopTable.Sort.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("--sort is mailbox, reductions or memory, not '"
                        + value + "'");
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!target.contains("@")) {
            System.err.println("ergon top: a node name is alive@host, not '" + target + "'");
            return 2;
        }
        if (lines < 1 || interval <= 0 || scanLimit < 1 || frames < 0) {
            System.err.println("ergon top: --lines, --interval and --scan-limit must be positive, --frames not "
                    + "negative");
            return 2;
        }
        boolean clear = !once && System.console() != null;
        Duration timeout = Duration.ofSeconds(10);
        try (Node node = naming.startTemporaryNode("ergon_top", target)) {
            Rpc rpc = Rpc.of(node);
            NodeSnapshot previous = null;
            long previousAt = 0;
            for (int frame = 1; ; frame++) {
                NodeSnapshot now = NodeSnapshot.read(rpc, target, scanLimit, timeout);
                long at = System.nanoTime();
                String text = TopTable.render(now, previous, (at - previousAt) / 1e9, sort, lines);
                System.out.print((clear ? "\033[H\033[2J" : frame > 1 ? System.lineSeparator() : "") + text);
                System.out.flush();
                if (once || (frames > 0 && frame >= frames)) {
                    return 0;
                }
                previous = now;
                previousAt = at;
                Thread.sleep((long) (interval * 1000)); // the refresh period itself, not a wait for something
            }
        } catch (RpcException e) {
            System.err.println("ergon top: cannot read " + target + ": " + e.kind().name().toLowerCase() + " "
                    + TermFormat.format(e.reason()));
            return 1;
        }
    }
}
