package io.ergon.cli.top;

import io.ergon.observer.snapshot.NodeSnapshot;
import io.ergon.observer.snapshot.ProcessRow;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lays out a {@link NodeSnapshot} as {@code ergon top} prints it: a summary line, then the top processes by the
 * chosen column; with a previous snapshot, reductions are shown per second since then.
 */
public final class TopTable {
    /** The columns processes can be sorted by. */
    public enum Sort { MAILBOX, REDUCTIONS, MEMORY }

    private TopTable() {
    }

    /** The text of one frame; {@code previous} (or null) gives the rates, {@code seconds} apart. */
    public static String render(NodeSnapshot now, NodeSnapshot previous, double seconds, Sort sort, int limit) {
        Map<Object, Long> before = previous == null ? Map.of() : previous.rows().stream()
                .collect(java.util.stream.Collectors.toMap(r -> r.pid(), ProcessRow::reductions, (a, b) -> a));
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s  release %s  processes %d  run queue %d  memory %s%s%n",
                now.node(), now.release(), now.processCount(), now.runQueue(), bytes(now.memoryTotal()),
                now.scanned() < now.processCount() ? "  (read the first " + now.scanned() + ")" : ""));
        out.append(String.format(Locale.ROOT, "%-16s %-28s %9s %12s %10s  %s%n", "PID", "NAME", "MSGQ",
                previous == null ? "REDUCTIONS" : "REDS/S", "MEMORY", "CURRENT FUNCTION"));
        Comparator<ProcessRow> order = switch (sort) {
            case MAILBOX -> Comparator.comparingLong(ProcessRow::queue);
            case REDUCTIONS -> Comparator.comparingLong(r -> rate(r, before, seconds));
            case MEMORY -> Comparator.comparingLong(ProcessRow::memory);
        };
        List<ProcessRow> top = now.rows().stream().sorted(order.reversed().thenComparing(r -> r.pid().toString()))
                .limit(limit).toList();
        for (ProcessRow r : top) {
            long reds = previous == null ? r.reductions() : rate(r, before, seconds);
            out.append(String.format(Locale.ROOT, "%-16s %-28s %9d %12d %10s  %s%n", r.pid(), clip(r.name(), 28),
                    r.queue(), reds, bytes(r.memory()), r.function()));
        }
        return out.toString();
    }

    private static long rate(ProcessRow r, Map<Object, Long> before, double seconds) {
        Long b = before.get(r.pid());
        if (b == null || seconds <= 0) {
            return r.reductions();
        }
        return Math.round((r.reductions() - b) / seconds);
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    static String bytes(long b) {
        if (b >= 10L << 20) {
            return (b >> 20) + " MB";
        }
        if (b >= 10L << 10) {
            return (b >> 10) + " KB";
        }
        return b + " B";
    }
}
