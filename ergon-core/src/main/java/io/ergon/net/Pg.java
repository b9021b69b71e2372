package io.ergon.net;

import io.ergon.gen.ChildSpec;
import io.ergon.net.internal.PgScope;
import io.ergon.net.internal.PgTable;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.node.SpawnOptions;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * OTP 23+'s process groups ({@code pg}), as a full peer: a scope is a process registered under the scope's name on
 * each node that takes part, and the scopes of the same name on connected nodes, Erlang's and Ergon's alike, keep
 * each other's membership. Any process may be in any number of groups (a group is any term); a member that exits
 * leaves its groups, and the members of a node that goes away leave with it.
 *
 * <p>As in OTP, no scope runs by default: start the default one, {@code pg}, or any other, with
 * {@link #startScope(Node, String)} (or put {@link #childSpec(String)} in a supervisor) on every node that takes part,
 * then use {@link #of(Node)} or {@link #of(Node, String)}. A group is keyed by the term it is on the wire: Java's
 * {@code "room"} is Erlang's {@code <<"room">>}, and {@link #groups()} lists it so. Joins and leaves are of this
 * node's processes and wait for the scope; reads are of this node's view, which the other nodes' scopes bring up to
 * date as messages arrive.
 */
public final class Pg {
    /** OTP's default scope. */
    public static final String DEFAULT_SCOPE = "pg";

    private final Node node;
    private final Atom scope;

    private Pg(Node node, Atom scope) {
        this.node = node;
        this.scope = scope;
    }

    /** Starts the scope {@code scope} on {@code node}, registered under that name, outside any supervision tree. */
    public static Pid startScope(Node node, String scope) {
        Atom s = Atom.of(scope);
        return node.spawn(() -> new PgScope(s), SpawnOptions.none().register(scope));
    }

    /** The child spec that runs the scope {@code scope}, registered under its name, in a supervisor. */
    public static ChildSpec childSpec(String scope) {
        Atom s = Atom.of(scope);
        return ChildSpec.worker("pg_" + scope, () -> new PgScope(s)).register(scope);
    }

    /** The default scope on {@code node}. */
    public static Pg of(Node node) {
        return of(node, DEFAULT_SCOPE);
    }

    /** The scope {@code scope} on {@code node}. */
    public static Pg of(Node node, String scope) {
        return new Pg(Objects.requireNonNull(node, "node"), Atom.of(scope));
    }

    /** {@code pg:join(Scope, Group, Pids)}: this node's processes join {@code group}. */
    public void join(Object group, Pid... pids) {
        node.call(scope.name(), Tuple.of(Atom.of("join_local"), PgTable.key(group), local(pids)),
                java.time.Duration.ofDays(1));
    }

    /** {@code pg:leave(Scope, Group, Pids)}: true for {@code ok}, false for {@code not_joined}. */
    public boolean leave(Object group, Pid... pids) {
        return node.call(scope.name(), Tuple.of(Atom.of("leave_local"), PgTable.key(group), local(pids)),
                java.time.Duration.ofDays(1)) == Atom.of("ok");
    }

    /** {@code pg:get_members}: every member of {@code group} in the cluster, as this node knows them. */
    public List<Pid> members(Object group) {
        return table().members(group);
    }

    /** {@code pg:get_local_members}. */
    public List<Pid> localMembers(Object group) {
        return table().localMembers(group);
    }

    /** {@code pg:which_groups}. */
    public List<Object> groups() {
        return table().groups();
    }

    /** {@code pg:which_local_groups}. */
    public List<Object> localGroups() {
        return table().localGroups();
    }

    /**
     * {@code pg:monitor_scope}: {@code watcher} gets a {@link Change} for every join and leave in the scope, until
     * {@link #demonitor}; returns the reference the changes carry, with the membership now.
     */
    public Monitored<Map<Object, List<Pid>>> monitorScope(ProcessContext watcher) {
        Tuple t = (Tuple) watcher.call(scope.name(), Atom.of("monitor"));
        @SuppressWarnings("unchecked")
        Map<Object, List<Pid>> groups = (Map<Object, List<Pid>>) t.get(1);
        return new Monitored<>((Ref) t.get(0), groups);
    }

    /** {@code pg:monitor(Scope, Group)}: as {@link #monitorScope}, for one group; returns its members now. */
    @SuppressWarnings("unchecked")
    public Monitored<List<Pid>> monitor(ProcessContext watcher, Object group) {
        Tuple t = (Tuple) watcher.call(scope.name(), Tuple.of(Atom.of("monitor"), PgTable.key(group)));
        return new Monitored<>((Ref) t.get(0), (List<Pid>) t.get(1));
    }

    /** {@code pg:demonitor}: true if {@code ref} was a monitor of this scope. */
    public boolean demonitor(ProcessContext watcher, Ref ref) {
        return watcher.call(scope.name(), Tuple.of(Atom.of("demonitor"), ref)) == Atom.of("ok");
    }

    private PgTable table() {
        return PgTable.of(node, scope);
    }

    private List<Pid> local(Pid... pids) {
        List<Pid> out = new ArrayList<>();
        for (Pid p : pids) {
            if (!Objects.requireNonNull(p, "pid").node().equals(node.name())) {
                throw new IllegalArgumentException("nolocal: " + p + " is not a process of " + node.name());
            }
            out.add(p);
        }
        return out;
    }

    /** What a monitor call returns: the reference its changes carry, and the members when it began. */
    public record Monitored<T>(Ref ref, T members) {
    }

    /**
     * A join or leave, as a monitoring process receives it ({@code {Ref, join | leave, Group, Pids}}). Read one with
     * {@link #of(Object)}.
     */
    public record Change(Ref ref, boolean joined, Object group, List<Pid> pids) {
        /** The change {@code message} is, or null if it is none. */
        @SuppressWarnings("unchecked")
        public static Change of(Object message) {
            if (message instanceof Tuple t && t.size() == 4 && t.get(0) instanceof Ref r
                    && (t.get(1) == Atom.of("join") || t.get(1) == Atom.of("leave")) && t.get(3) instanceof List<?> l) {
                return new Change(r, t.get(1) == Atom.of("join"), t.get(2), (List<Pid>) l);
            }
            return null;
        }
    }
}
