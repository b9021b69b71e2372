package io.ergon.observer.snapshot;

import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One supervisor or child in a node's supervision trees, as {@code supervisor:which_children/1} gives them: the
 * same call answered by an Erlang supervisor and an Ergon one.
 *
 * @param id the child's id in its supervisor (Erlang syntax), or a root supervisor's registered name or pid
 * @param pid the process, or null when it is not running
 * @param state {@code running}, {@code restarting} (its supervisor is restarting it) or {@code undefined} (not
 *     running: a temporary child that ended, or a terminated one)
 * @param type {@code supervisor} or {@code worker}
 * @param children a supervisor's children, in {@code which_children}'s order; none for a worker
 */
public record SupervisionTree(String id, Pid pid, String state, String type, List<SupervisionTree> children) {
    private static final Atom WHICH_CHILDREN = Atom.of("which_children");
    private static final int MAX_DEPTH = 32;
    private static final int PARALLEL_CALLS = 8;

    /**
     * The trees of {@code node}'s supervisors: those of {@code rows} whose proc_lib initial call says supervisor are
     * asked {@code which_children} (from {@code via}, {@code PARALLEL_CALLS} at a time), and a supervisor no other
     * one lists is a root. A supervisor that does not answer in time is shown without children.
     */
    public static List<SupervisionTree> read(Node via, List<ProcessRow> rows, Duration timeout) throws Exception {
        Map<Pid, ProcessRow> supervisors = new HashMap<>();
        for (ProcessRow r : rows) {
            if (r.isSupervisor()) {
                supervisors.put(r.pid(), r);
            }
        }
        Map<Pid, List<?>> children = new HashMap<>();
        try (ExecutorService calls = Executors.newFixedThreadPool(PARALLEL_CALLS, Thread.ofVirtual().factory())) {
            Map<Pid, Future<Object>> answers = new HashMap<>();
            for (Pid sup : supervisors.keySet()) {
                answers.put(sup, calls.submit(() -> via.call(sup, WHICH_CHILDREN, timeout)));
            }
            for (Map.Entry<Pid, Future<Object>> e : answers.entrySet()) {
                try {
                    if (e.getValue().get() instanceof List<?> l) {
                        children.put(e.getKey(), l);
                    }
                } catch (java.util.concurrent.ExecutionException noAnswer) {
                    children.put(e.getKey(), List.of()); // it exited, or is too busy to answer: no children shown
                }
            }
        }
        Set<Pid> listed = new HashSet<>();
        children.values().forEach(l -> l.forEach(c -> {
            if (c instanceof Tuple t && t.size() == 4 && t.get(1) instanceof Pid p) {
                listed.add(p);
            }
        }));
        List<SupervisionTree> roots = new ArrayList<>();
        supervisors.values().stream().filter(r -> !listed.contains(r.pid()))
                .sorted(java.util.Comparator.comparing((ProcessRow r) -> r.name().isEmpty() ? "~" + r.pid() : r.name()))
                .forEach(r -> roots.add(tree(r.name().isEmpty() ? PidText.of(r.pid()) : r.name(), r.pid(),
                        "supervisor", children, 0)));
        return roots;
    }

    private static SupervisionTree tree(String id, Pid pid, String type, Map<Pid, List<?>> children, int depth) {
        List<SupervisionTree> out = new ArrayList<>();
        List<?> mine = pid == null || depth >= MAX_DEPTH ? null : children.get(pid);
        if (mine != null) {
            for (Object c : mine) {
                if (c instanceof Tuple t && t.size() == 4) {
                    String childId = t.get(0) instanceof Atom a ? a.name() : TermFormat.format(t.get(0));
                    String childType = t.get(2) instanceof Atom a ? a.name() : TermFormat.format(t.get(2));
                    if (t.get(1) instanceof Pid p) {
                        out.add(tree(childId, p, childType, children, depth + 1));
                    } else {
                        String state = t.get(1) instanceof Atom a ? a.name() : TermFormat.format(t.get(1));
                        out.add(new SupervisionTree(childId, null, state, childType, List.of()));
                    }
                }
            }
        }
        return new SupervisionTree(id, pid, "running", type, out);
    }
}
