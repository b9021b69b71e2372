package io.ergon.observer.snapshot;

import io.ergon.net.Rpc;
import io.ergon.net.RpcException;
import io.ergon.term.Atom;
import io.ergon.term.ExportFun;
import io.ergon.term.Pid;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What {@code ergon top} and the web observer read of a node at one moment, over rpc only (nothing is loaded on the
 * node), with the same calls for an Erlang and an Ergon node: its release, process count, run queue, memory, and its
 * processes' rows.
 *
 * <p>The rows come from one {@code lists:zipwith(fun erlang:process_info/2, Pids, Items)} call where the node has
 * {@code lists} (Erlang); else from one {@code process_info/2} call per process, 16 at a time (Ergon answers those).
 * At most {@code scanLimit} processes are read; {@link #scanned()} says how many were.
 *
 * @param node the node's name
 * @param release {@code erlang:system_info(otp_release)}
 * @param processCount {@code erlang:system_info(process_count)}
 * @param runQueue {@code erlang:statistics(run_queue)}
 * @param memoryTotal {@code erlang:memory(total)}
 * @param scanned how many processes were read
 * @param rows the processes that were still alive when read
 */
public record NodeSnapshot(String node, String release, long processCount, long runQueue, long memoryTotal,
                           int scanned, List<ProcessRow> rows) {
    private static final List<Atom> ITEMS = List.of(Atom.of("registered_name"), Atom.of("message_queue_len"),
            Atom.of("reductions"), Atom.of("memory"), Atom.of("current_function"), Atom.of("dictionary"));
    private static final Atom INITIAL_CALL = Atom.of("$initial_call");
    private static final int PARALLEL_CALLS = 16;

    /** Reads {@code node} through {@code rpc}. */
    public static NodeSnapshot read(Rpc rpc, String node, int scanLimit, Duration timeout) throws Exception {
        String release = text(rpc.call(node, "erlang", "system_info", List.of(Atom.of("otp_release")), timeout));
        long count = number(rpc.call(node, "erlang", "system_info", List.of(Atom.of("process_count")), timeout));
        long runQueue = number(rpc.call(node, "erlang", "statistics", List.of(Atom.of("run_queue")), timeout));
        long memory = number(rpc.call(node, "erlang", "memory", List.of(Atom.of("total")), timeout));
        List<?> all = (List<?>) rpc.call(node, "erlang", "processes", List.of(), timeout);
        List<Pid> pids = new ArrayList<>();
        for (Object p : all.subList(0, Math.min(all.size(), scanLimit))) {
            pids.add((Pid) p);
        }
        List<Object> infos = infos(rpc, node, pids, timeout);
        List<ProcessRow> rows = new ArrayList<>();
        for (int i = 0; i < pids.size(); i++) {
            if (infos.get(i) instanceof List<?> items) {
                rows.add(row(pids.get(i), items));
            }
        }
        return new NodeSnapshot(node, release, count, runQueue, memory, pids.size(), rows);
    }

    private static List<Object> infos(Rpc rpc, String node, List<Pid> pids, Duration timeout) throws Exception {
        try {
            List<Object> result = new ArrayList<>((List<?>) rpc.call(node, "lists", "zipwith", List.of(
                    new ExportFun(Atom.of("erlang"), Atom.of("process_info"), 2), pids,
                    Collections.nCopies(pids.size(), ITEMS)), timeout));
            return result;
        } catch (RpcException e) {
            if (e.kind() != RpcException.Kind.ERROR) {
                throw e;
            }
        }
        try (ExecutorService calls = Executors.newFixedThreadPool(PARALLEL_CALLS, Thread.ofVirtual().factory())) {
            List<Future<Object>> answers = new ArrayList<>();
            for (Pid pid : pids) {
                answers.add(calls.submit(() -> rpc.call(node, "erlang", "process_info", List.of(pid, ITEMS),
                        timeout)));
            }
            List<Object> out = new ArrayList<>();
            for (Future<Object> f : answers) {
                out.add(f.get());
            }
            return out;
        }
    }

    private static ProcessRow row(Pid pid, List<?> items) {
        Map<Object, Object> byItem = new java.util.HashMap<>();
        for (Object item : items) {
            if (item instanceof Tuple t && t.size() == 2) {
                byItem.put(t.get(0), t.get(1));
            }
        }
        Object name = byItem.get(Atom.of("registered_name"));
        String fn = mfa(byItem.get(Atom.of("current_function")));
        return new ProcessRow(pid, name instanceof Atom a ? a.name() : "", number(byItem.get(Atom.of(
                "message_queue_len"))), number(byItem.get(Atom.of("reductions"))),
                number(byItem.get(Atom.of("memory"))), fn, initialCall(byItem.get(Atom.of("dictionary"))));
    }

    /** proc_lib's {@code '$initial_call'} from a process dictionary, as {@code M:F/A}; "" if it has none. */
    private static String initialCall(Object dictionary) {
        if (dictionary instanceof List<?> entries) {
            for (Object e : entries) {
                if (e instanceof Tuple t && t.size() == 2 && INITIAL_CALL.equals(t.get(0))) {
                    return mfa(t.get(1));
                }
            }
        }
        return "";
    }

    private static String mfa(Object term) {
        return term instanceof Tuple t && t.size() == 3
                ? TermFormat.format(t.get(0)) + ":" + TermFormat.format(t.get(1)) + "/" + t.get(2)
                : TermFormat.format(term);
    }

    /** An Erlang string (a list of character codes) or binary as text; any other term in Erlang syntax. */
    public static String text(Object term) {
        if (term instanceof io.ergon.term.Binary b) {
            return b.utf8();
        }
        if (term instanceof List<?> l && l.stream().allMatch(c -> c instanceof Number)) {
            StringBuilder b = new StringBuilder();
            l.forEach(c -> b.appendCodePoint(((Number) c).intValue()));
            return b.toString();
        }
        return TermFormat.format(term);
    }

    /** A number term as a long; 0 for anything else. */
    public static long number(Object n) {
        return n instanceof Number x ? x.longValue() : 0;
    }
}
