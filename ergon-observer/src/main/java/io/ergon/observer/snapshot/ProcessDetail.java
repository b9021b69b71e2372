package io.ergon.observer.snapshot;

import io.ergon.gen.Sys;
import io.ergon.net.Rpc;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One process looked at closely: its {@code erlang:process_info/2} items, its links and monitors, and, when it
 * speaks the {@code sys} protocol (proc_lib's {@code '$initial_call'} says it is a {@code gen_*} process or a
 * supervisor), its state from {@code sys:get_state/1}. The same calls for an Erlang and an Ergon process. A pid in
 * the lists is written {@code <0.Id.Serial>} when it is on the process's node, else {@code <0.Id.Serial>@node}.
 *
 * @param node the process's node
 * @param pid the process
 * @param alive false if it was not alive when asked (the rest is then empty)
 * @param info the other items, in Erlang syntax, by name
 * @param links the processes it is linked to
 * @param monitors what it monitors
 * @param monitoredBy the processes that monitor it
 * @param state its {@code sys:get_state} answer in Erlang syntax, or null if it does not speak {@code sys} or did
 *     not answer
 * @param stateError why there is no state, when it was asked and did not give one; else null
 */
public record ProcessDetail(String node, Pid pid, boolean alive, Map<String, String> info, List<String> links,
                            List<String> monitors, List<String> monitoredBy, String state, String stateError) {
    private static final List<String> ITEMS = List.of("registered_name", "status", "message_queue_len", "reductions",
            "memory", "current_function", "initial_call", "trap_exit", "group_leader", "links", "monitors",
            "monitored_by", "dictionary");
    private static final Atom INITIAL_CALL = Atom.of("$initial_call");

    /** Reads {@code pid} on {@code node} through {@code via}'s rpc, and its state through {@code sys}. */
    public static ProcessDetail read(Node via, String node, Pid pid, Duration timeout) {
        List<Atom> items = ITEMS.stream().map(Atom::of).toList();
        Object answer = Rpc.of(via).call(node, "erlang", "process_info", List.of(pid, items), timeout);
        if (!(answer instanceof List<?> list)) {
            return new ProcessDetail(node, pid, false, Map.of(), List.of(), List.of(), List.of(), null, null);
        }
        Map<String, String> info = new LinkedHashMap<>();
        List<String> links = List.of();
        List<String> monitors = List.of();
        List<String> monitoredBy = List.of();
        boolean speaksSys = false;
        for (Object o : list) {
            if (!(o instanceof Tuple t) || t.size() != 2 || !(t.get(0) instanceof Atom key)) {
                continue;
            }
            switch (key.name()) {
                case "links" -> links = pids(node, t.get(1));
                case "monitors" -> monitors = pids(node, t.get(1));
                case "monitored_by" -> monitoredBy = pids(node, t.get(1));
                case "dictionary" -> speaksSys = t.get(1) instanceof List<?> d && d.stream().anyMatch(e ->
                        e instanceof Tuple kv && kv.size() == 2 && INITIAL_CALL.equals(kv.get(0)));
                default -> info.put(key.name(), term(node, t.get(1)));
            }
        }
        String state = null;
        String stateError = null;
        if (speaksSys) {
            try {
                state = TermFormat.print(Sys.getState(via, pid));
            } catch (RuntimeException e) {
                stateError = e.getMessage();
            }
        }
        return new ProcessDetail(node, pid, true, info, links, monitors, monitoredBy, state, stateError);
    }

    private static List<String> pids(String node, Object term) {
        List<String> out = new ArrayList<>();
        if (term instanceof List<?> l) {
            l.forEach(x -> out.add(term(node, x)));
        }
        return out;
    }

    /** A term in Erlang syntax, with pids written as the observer writes them, relative to {@code node}. */
    private static String term(String node, Object term) {
        return switch (term) {
            case Pid p -> PidText.of(p) + (p.node().name().equals(node) ? "" : "@" + p.node().name());
            case Tuple t when t.size() == 2 && t.get(1) instanceof Pid p -> "{" + TermFormat.print(t.get(0)) + ","
                    + term(node, p) + "}";
            default -> TermFormat.print(term);
        };
    }
}
