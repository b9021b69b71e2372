package io.ergon.observer.snapshot;

import io.ergon.net.Rpc;
import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One of a node's distribution connections, from {@code net_kernel:nodes_info/0} (answered by Erlang and Ergon
 * nodes alike).
 *
 * @param peer the node at the other end
 * @param type {@code normal} or {@code hidden}
 * @param state {@code up}, or {@code pending} while it is set up
 * @param in messages read from the peer so far (Erlang: distribution packets)
 * @param out messages written to the peer so far
 */
public record ConnectionRow(String peer, String type, String state, long in, long out) {
    /** {@code node}'s connections, in {@code nodes_info}'s order. */
    public static List<ConnectionRow> read(Rpc rpc, String node, Duration timeout) {
        Object answer = rpc.call(node, "net_kernel", "nodes_info", List.of(), timeout);
        List<ConnectionRow> out = new ArrayList<>();
        if (answer instanceof Tuple ok && ok.size() == 2 && ok.get(1) instanceof List<?> entries) {
            for (Object e : entries) {
                if (e instanceof Tuple t && t.size() == 2 && t.get(0) instanceof Atom peer
                        && t.get(1) instanceof List<?> items) {
                    Map<String, Object> byKey = new HashMap<>();
                    for (Object item : items) {
                        if (item instanceof Tuple kv && kv.size() == 2 && kv.get(0) instanceof Atom k) {
                            byKey.put(k.name(), kv.get(1));
                        }
                    }
                    out.add(new ConnectionRow(peer.name(), name(byKey.get("type")), name(byKey.get("state")),
                            NodeSnapshot.number(byKey.get("in")), NodeSnapshot.number(byKey.get("out"))));
                }
            }
        }
        return out;
    }

    private static String name(Object term) {
        return term instanceof Atom a ? a.name() : String.valueOf(term);
    }
}
