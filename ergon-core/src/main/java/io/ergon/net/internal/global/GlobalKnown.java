package io.ergon.net.internal.global;

import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nodes the name server knows, OTP's {@code known} map: the nodes in this node's partition with the protocol
 * version each speaks, the nodes being connected ({@code {pending, Node}}) and those being removed to prevent
 * overlapping partitions ({@code {removing, Node}}). The name server's own state: one thread.
 */
final class GlobalKnown {
    private final Atom self;
    private final Map<Atom, Integer> known = new LinkedHashMap<>();
    private final Map<Atom, Integer> pending = new HashMap<>();
    private final Set<Atom> removing = new HashSet<>();

    GlobalKnown(Atom self) {
        this.self = self;
    }

    boolean isKnown(Atom node) {
        return known.containsKey(node);
    }

    /** OTP's {@code is_node_potentially_known/2}: known or being connected. */
    boolean isPotentiallyKnown(Atom node) {
        return known.containsKey(node) || pending.containsKey(node);
    }

    /** The known nodes (not the pending ones). */
    List<Atom> nodes() {
        return new ArrayList<>(known.keySet());
    }

    /** The known nodes with their versions. */
    Map<Atom, Integer> versions() {
        return new LinkedHashMap<>(known);
    }

    /** The pending nodes with their versions. */
    Map<Atom, Integer> pendingVersions() {
        return new HashMap<>(pending);
    }

    Integer pending(Atom node) {
        return pending.get(node);
    }

    void putPending(Atom node, int vsn) {
        pending.put(node, vsn);
    }

    void removePending(Atom node) {
        pending.remove(node);
    }

    void remove(Atom node) {
        known.remove(node);
    }

    void markRemoving(Atom node) {
        removing.add(node);
    }

    /** Forgets that {@code node} was being removed; true if it was. */
    boolean unmarkRemoving(Atom node) {
        return removing.remove(node);
    }

    /** OTP's {@code node_vsn/2}: the version {@code node} speaks, this node's own, or 0 if unknown. */
    int vsn(Atom node) {
        if (node == self) {
            return GlobalTerms.VSN;
        }
        Integer v = known.get(node);
        if (v == null) {
            v = pending.get(node);
        }
        return v == null ? 0 : v;
    }

    /** OTP's {@code mk_known_list/2}: what a {@code resolved} message tells a node of version {@code vsn}. */
    List<Object> knownList(int vsn) {
        List<Object> out = new ArrayList<>();
        for (Map.Entry<Atom, Integer> e : known.entrySet()) {
            out.add(vsn < GlobalTerms.PGPV_VSN ? e.getKey() : Tuple.of(e.getKey(), (long) e.getValue()));
        }
        return out;
    }

    /** The known nodes as the map an {@code init_connect} carries (its receiver ignores it). */
    Map<Object, Object> asTerm() {
        Map<Object, Object> m = new LinkedHashMap<>();
        known.forEach((n, v) -> m.put(n, (long) v));
        return m;
    }

    /** OTP's {@code make_node_vsn_list/2}: {@code [{Node, Vsn}]} from node names and pairs (version 0 looked up). */
    List<Object> withVersions(List<Object> nodes) {
        List<Object> out = new ArrayList<>();
        for (Object x : nodes) {
            if (x instanceof Atom n) {
                out.add(Tuple.of(n, (long) vsn(n)));
            } else if (x instanceof Tuple t && t.size() == 2 && t.get(0) instanceof Atom n) {
                out.add(t.get(1) instanceof Long v && v == 0 ? Tuple.of(n, (long) vsn(n)) : t);
            }
        }
        return out;
    }

    /** OTP's {@code node_list/1}: the node names of a list of names and {@code {Node, Vsn}} pairs. */
    static List<Atom> names(List<Object> nodes) {
        List<Atom> out = new ArrayList<>();
        for (Object x : nodes) {
            if (x instanceof Atom n) {
                out.add(n);
            } else if (x instanceof Tuple t && t.size() == 2 && t.get(0) instanceof Atom n) {
                out.add(n);
            }
        }
        return out;
    }

    /** OTP's {@code add_to_known/2}: adds the nodes not known yet (never this node); returns those added. */
    List<Atom> add(List<Object> nodes) {
        List<Atom> added = new ArrayList<>();
        for (Object x : nodes) {
            Atom n;
            int v;
            if (x instanceof Atom a) {
                n = a;
                v = 0;
            } else if (x instanceof Tuple t && t.size() == 2 && t.get(0) instanceof Atom a
                    && t.get(1) instanceof Long l) {
                n = a;
                v = (int) Math.max(0, Math.min(Integer.MAX_VALUE, l));
            } else {
                continue;
            }
            if (n == self || known.containsKey(n)) {
                continue;
            }
            known.put(n, v);
            added.add(0, n);
        }
        return added;
    }
}
