package io.ergon.net.internal;

import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Terms;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code pg} scope's membership as this node sees it, Erlang's protected ETS table of the scope: written by the
 * scope's process only, read from any thread. Each group maps to its members, cluster-wide and local, newest first as
 * OTP keeps them; a group with no member is not in the table.
 */
public final class PgTable {
    /** A group's members: all of them, and those on this node. */
    public record Members(List<Pid> all, List<Pid> local) {
    }

    private final Map<Object, Members> groups = new ConcurrentHashMap<>();

    /** A node's tables, one per scope that ran on it. */
    private static final class Tables {
        final Map<Atom, PgTable> byScope = new ConcurrentHashMap<>();
    }

    /** The table of {@code scope} on {@code node} (empty if the scope never ran there). */
    public static PgTable of(Node node, Atom scope) {
        return node.extension(Tables.class, n -> new Tables()).byScope.computeIfAbsent(scope, s -> new PgTable());
    }

    /**
     * A group as the table keys it: the term it is on the wire, so that Java's {@code "room"} and the binary
     * {@code <<"room">>} an Erlang node sends are one group ({@link Terms#canonical}, into tuples and lists).
     */
    public static Object key(Object group) {
        Object c = Terms.canonical(group);
        if (c instanceof Tuple t) {
            Object[] parts = new Object[t.size()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = key(t.get(i));
            }
            return Tuple.of(parts);
        }
        if (c instanceof List<?> l) {
            List<Object> parts = new ArrayList<>(l.size());
            l.forEach(e -> parts.add(key(e)));
            return parts;
        }
        return c;
    }

    /** Every member of {@code group}; empty if it has none. */
    public List<Pid> members(Object group) {
        Members m = groups.get(key(group));
        return m == null ? List.of() : m.all();
    }

    /** The members of {@code group} on this node. */
    public List<Pid> localMembers(Object group) {
        Members m = groups.get(key(group));
        return m == null ? List.of() : m.local();
    }

    /** The groups with a member anywhere. */
    public List<Object> groups() {
        return List.copyOf(groups.keySet());
    }

    /** The groups with a member on this node. */
    public List<Object> localGroups() {
        return groups.entrySet().stream().filter(e -> !e.getValue().local().isEmpty()).map(Map.Entry::getKey)
                .toList();
    }

    /** A snapshot of every group and its members (for {@code monitor_scope}). */
    public Map<Object, List<Pid>> snapshot() {
        Map<Object, List<Pid>> out = new java.util.HashMap<>();
        groups.forEach((g, m) -> out.put(g, m.all()));
        return out;
    }

    void join(Object rawGroup, List<Pid> pids, boolean local) {
        Object group = key(rawGroup);
        Members m = groups.get(group);
        List<Pid> all = prepend(pids, m == null ? List.of() : m.all());
        List<Pid> loc = local ? prepend(pids, m == null ? List.of() : m.local()) : m == null ? List.of() : m.local();
        groups.put(group, new Members(all, loc));
    }

    /** Takes {@code pids} out of {@code group} (each once); drops the group once it has no member. */
    void leave(Object rawGroup, List<Pid> pids) {
        Object group = key(rawGroup);
        Members m = groups.get(group);
        if (m == null) {
            return;
        }
        List<Pid> all = without(m.all(), pids);
        if (all.isEmpty()) {
            groups.remove(group);
        } else {
            groups.put(group, new Members(all, without(m.local(), pids)));
        }
    }

    void clear() {
        groups.clear();
    }

    private static List<Pid> prepend(List<Pid> front, List<Pid> rest) {
        List<Pid> out = new ArrayList<>(front.size() + rest.size());
        out.addAll(front);
        out.addAll(rest);
        return List.copyOf(out);
    }

    /** Erlang's {@code --}: each element of {@code minus} removes one occurrence. */
    static List<Pid> without(List<Pid> from, List<Pid> minus) {
        List<Pid> out = new ArrayList<>(from);
        for (Pid p : minus) {
            out.remove(p);
        }
        return List.copyOf(out);
    }
}
