package io.ergon.net.internal;

import io.ergon.gen.GenServer;
import io.ergon.node.Down;
import io.ergon.node.From;
import io.ergon.node.NodeUp;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scope of OTP 23+'s {@code pg}, registered under the scope's name and speaking {@code pg.erl}'s protocol with
 * the same scope on every other node: {@code {discover, Peer}} on start and on nodeup, {@code {sync, Peer, Groups}}
 * (a cast) in answer, then {@code {join, Peer, Group, Pids}} and {@code {leave, Peer, Pids, Groups}} as local
 * members come and go. Each peer scope is monitored, and its members leave when it goes (its node down included).
 * Local members are monitored too; one that exits leaves its groups. Membership is kept in a {@link PgTable} that
 * any thread reads; scope and group monitors get {@code {Ref, join | leave, Group, Pids}}, as from OTP.
 */
public final class PgScope extends GenServer {
    private static final Atom DISCOVER = Atom.of("discover");
    private static final Atom SYNC = Atom.of("sync");
    private static final Atom JOIN = Atom.of("join");
    private static final Atom LEAVE = Atom.of("leave");

    private final Atom scope;
    private PgTable table;
    /** Local members: the monitor on each, and its groups (a group once per join, as OTP counts them). */
    private final Map<Pid, LocalMember> local = new HashMap<>();
    /** The other nodes' scopes: the monitor on each, and their members by group. */
    private final Map<Pid, Peer> remote = new HashMap<>();
    private final Map<Ref, Pid> scopeMonitors = new HashMap<>();
    private final Map<Ref, GroupMonitor> groupMonitors = new HashMap<>();

    private record LocalMember(Ref monitor, List<Object> groups) {
    }

    private record Peer(Ref monitor, Map<Object, List<Pid>> groups) {
    }

    private record GroupMonitor(Pid watcher, Object group) {
    }

    public PgScope(Atom scope) {
        this.scope = scope;
    }

    @Override
    protected void init() {
        table = PgTable.of(node(), scope);
        table.clear(); // a restarted scope starts empty and learns the cluster again, as OTP's new ETS table does
        if (!node().isDistributed()) {
            return; // a scope of one node, as OTP's pg on a node that is not alive
        }
        node().watchNodes(self(), true);
        for (Atom n : node().nodes()) {
            send(new io.ergon.node.Name(scope, n), Tuple.of(DISCOVER, self()));
        }
    }

    @Override
    protected void terminate(Object reason) {
        table.clear();
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Object handleCall(Object request, From from) {
        if (request instanceof Tuple t && t.size() == 3 && t.get(0) == Atom.of("join_local")) {
            List<Pid> pids = pids(t.get(2));
            for (Pid p : pids) {
                local.compute(p, (k, m) -> {
                    if (m == null) {
                        return new LocalMember(monitor(p), new ArrayList<>(List.of(t.get(1))));
                    }
                    m.groups().add(0, t.get(1));
                    return m;
                });
            }
            table.join(t.get(1), pids, true);
            notifyMonitors(JOIN, t.get(1), pids);
            broadcast(Tuple.of(JOIN, self(), t.get(1), t.get(2)));
            return Atom.of("ok");
        }
        if (request instanceof Tuple t && t.size() == 3 && t.get(0) == Atom.of("leave_local")) {
            List<Pid> left = new ArrayList<>();
            for (Pid p : pids(t.get(2))) {
                LocalMember m = local.get(p);
                if (m != null && m.groups().remove(t.get(1))) {
                    left.add(p);
                    if (m.groups().isEmpty()) {
                        demonitor(m.monitor());
                        local.remove(p);
                    }
                }
            }
            if (left.isEmpty()) {
                return Atom.of("not_joined");
            }
            table.leave(t.get(1), pids(t.get(2)));
            notifyMonitors(LEAVE, t.get(1), pids(t.get(2)));
            broadcast(Tuple.of(LEAVE, self(), t.get(2), List.of(t.get(1))));
            return Atom.of("ok");
        }
        if (request == Atom.of("monitor")) {
            Ref ref = monitor(from.pid());
            scopeMonitors.put(ref, from.pid());
            return Tuple.of(ref, table.snapshot());
        }
        if (request instanceof Tuple t && t.size() == 2 && t.get(0) == Atom.of("monitor")) {
            Ref ref = monitor(from.pid());
            groupMonitors.put(ref, new GroupMonitor(from.pid(), t.get(1)));
            return Tuple.of(ref, table.members(t.get(1)));
        }
        if (request instanceof Tuple t && t.size() == 2 && t.get(0) == Atom.of("demonitor") && t.get(1) instanceof Ref r) {
            if (scopeMonitors.remove(r) != null || groupMonitors.remove(r) != null) {
                demonitor(r);
                return Atom.of("ok");
            }
            return Atom.of("false");
        }
        throw new IllegalArgumentException("badarg: pg scope " + scope + " got " + request);
    }

    @Override
    protected void handleCast(Object message) {
        if (message instanceof Tuple t && t.size() == 3 && t.get(0) == SYNC && t.get(1) instanceof Pid peer) {
            sync(peer, (List<?>) t.get(2));
        }
    }

    @Override
    protected void handleInfo(Object message) {
        switch (message) {
            case Tuple t when t.size() == 2 && t.get(0) == DISCOVER && t.get(1) instanceof Pid peer -> discover(peer);
            case Tuple t when t.size() == 4 && t.get(0) == JOIN && t.get(1) instanceof Pid peer -> {
                Peer p = remote.get(peer);
                if (p != null) {
                    List<Pid> pids = pids(t.get(3));
                    table.join(t.get(2), pids, false);
                    notifyMonitors(JOIN, t.get(2), pids);
                    List<Pid> now = new ArrayList<>(pids);
                    now.addAll(p.groups().getOrDefault(t.get(2), List.of()));
                    p.groups().put(t.get(2), now);
                }
            }
            case Tuple t when t.size() == 4 && t.get(0) == LEAVE && t.get(1) instanceof Pid peer -> {
                Peer p = remote.get(peer);
                if (p != null) {
                    List<Pid> pids = pids(t.get(2));
                    for (Object group : (List<?>) t.get(3)) {
                        table.leave(group, pids);
                        notifyMonitors(LEAVE, group, pids);
                        List<Pid> rest = PgTable.without(p.groups().getOrDefault(group, List.of()), pids);
                        if (rest.isEmpty()) {
                            p.groups().remove(group);
                        } else {
                            p.groups().put(group, rest);
                        }
                    }
                }
            }
            case Down d -> down(d);
            case NodeUp up when !up.node().equals(node().name()) && node().nodes().contains(up.node()) ->
                    send(new io.ergon.node.Name(scope, up.node()), Tuple.of(DISCOVER, self()));
            default -> { } // nodedown: the peer scope's monitor says it
        }
    }

    private void discover(Pid peer) {
        cast(peer, Tuple.of(SYNC, self(), localGroups()));
        if (!remote.containsKey(peer)) {
            remote.put(peer, new Peer(monitor(peer), new HashMap<>()));
            send(peer, Tuple.of(DISCOVER, self()));
        }
    }

    /** A peer's full membership: what changed since the last we knew becomes joins and leaves here. */
    private void sync(Pid peerPid, List<?> groups) {
        Peer peer = remote.computeIfAbsent(peerPid, p -> new Peer(monitor(p), new HashMap<>()));
        Map<Object, List<Pid>> old = new HashMap<>(peer.groups());
        Map<Object, List<Pid>> now = new LinkedHashMap<>();
        for (Object g : groups) {
            Tuple t = (Tuple) g;
            now.put(t.get(0), pids(t.get(1)));
        }
        for (Map.Entry<Object, List<Pid>> e : now.entrySet()) {
            List<Pid> before = old.remove(e.getKey());
            if (before == null) {
                table.join(e.getKey(), e.getValue(), false);
                notifyMonitors(JOIN, e.getKey(), e.getValue());
            } else if (!before.equals(e.getValue())) {
                table.leave(e.getKey(), before);
                table.join(e.getKey(), e.getValue(), false);
            }
        }
        old.forEach((group, pids) -> {
            table.leave(group, pids);
            notifyMonitors(LEAVE, group, pids);
        });
        peer.groups().clear();
        peer.groups().putAll(now);
    }

    private void down(Down d) {
        Pid pid = d.item() instanceof Pid p ? p : null;
        if (pid != null && pid.node().equals(node().name())) {
            LocalMember m = local.get(pid);
            if (m != null && m.monitor().equals(d.ref())) {
                local.remove(pid);
                List<Object> groups = List.copyOf(m.groups());
                for (Object g : groups) {
                    table.leave(g, List.of(pid));
                    notifyMonitors(LEAVE, g, List.of(pid));
                }
                broadcast(Tuple.of(LEAVE, self(), pid, groups));
                return;
            }
        }
        if (pid != null) {
            Peer peer = remote.get(pid);
            if (peer != null && peer.monitor().equals(d.ref())) {
                remote.remove(pid);
                peer.groups().forEach((group, pids) -> {
                    table.leave(group, pids);
                    notifyMonitors(LEAVE, group, pids);
                });
                return;
            }
        }
        scopeMonitors.remove(d.ref());
        groupMonitors.remove(d.ref());
    }

    /** {@code [{Group, [Pid]}]} of the local members, as OTP's {@code all_local_pids}. */
    private List<Object> localGroups() {
        Map<Object, List<Pid>> byGroup = new LinkedHashMap<>();
        local.forEach((pid, m) -> m.groups().forEach(g -> byGroup.computeIfAbsent(g, k -> new ArrayList<>())
                .add(0, pid)));
        List<Object> out = new ArrayList<>();
        byGroup.forEach((g, pids) -> out.add(Tuple.of(g, List.copyOf(pids))));
        return out;
    }

    private void broadcast(Object message) {
        for (Pid peer : remote.keySet()) {
            send(peer, message);
        }
    }

    private void notifyMonitors(Atom action, Object group, List<Pid> pids) {
        scopeMonitors.forEach((ref, watcher) -> send(watcher, Tuple.of(ref, action, group, pids)));
        groupMonitors.forEach((ref, m) -> {
            if (m.group().equals(group)) {
                send(m.watcher(), Tuple.of(ref, action, group, pids));
            }
        });
    }

    private static List<Pid> pids(Object pidOrPids) {
        if (pidOrPids instanceof Pid p) {
            return List.of(p);
        }
        List<Pid> out = new ArrayList<>();
        for (Object o : (List<?>) pidOrPids) {
            out.add((Pid) o);
        }
        return out;
    }
}
