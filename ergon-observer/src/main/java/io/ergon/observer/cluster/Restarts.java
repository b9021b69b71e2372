package io.ergon.observer.cluster;

import io.ergon.node.Down;
import io.ergon.node.Mailbox;
import io.ergon.node.Reasons;
import io.ergon.observer.snapshot.PidText;
import io.ergon.observer.snapshot.SupervisionTree;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.TermFormat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the observer learns of supervisors restarting their children: a child whose pid changed under the same id
 * between two samples was restarted (counted here), and each supervised process is monitored (up to
 * {@link #MAX_MONITORS}) so that an abnormal exit is kept with its reason, the latest {@link #MAX_CRASHES} of them.
 * Dynamic children (id {@code undefined}) have no id to follow and are monitored only. Used by the sampling thread
 * only, which owns {@code watcher}.
 */
final class Restarts {
    static final int MAX_MONITORS = 5000;
    static final int MAX_CRASHES = 50;

    private record ChildKey(String node, Pid supervisor, String id) {
    }

    private record Watched(String node, Pid pid, String id) {
    }

    private final Mailbox watcher;
    private final Map<ChildKey, Pid> current = new HashMap<>();
    private final Map<ChildKey, ClusterView.Restart> restarts = new HashMap<>();
    private final Map<Ref, Watched> monitors = new HashMap<>();
    private final Set<Pid> monitored = new HashSet<>();
    private final ArrayDeque<ClusterView.Crash> crashes = new ArrayDeque<>();

    Restarts(Mailbox watcher) {
        this.watcher = watcher;
    }

    /** Takes in a sample's trees: children of every node read now ({@code trees} by node name). */
    void update(Map<String, List<SupervisionTree>> trees, long nowMillis) {
        Set<ChildKey> seen = new HashSet<>();
        trees.forEach((node, roots) -> roots.forEach(r -> walk(node, r, seen, nowMillis)));
        current.keySet().retainAll(seen);
        restarts.keySet().retainAll(seen);
    }

    private void walk(String node, SupervisionTree sup, Set<ChildKey> seen, long nowMillis) {
        for (SupervisionTree child : sup.children()) {
            if (child.pid() != null) {
                watch(node, child.pid(), child.id());
                if (!child.id().equals("undefined") && sup.pid() != null) {
                    ChildKey key = new ChildKey(node, sup.pid(), child.id());
                    seen.add(key);
                    Pid before = current.put(key, child.pid());
                    if (before != null && !before.equals(child.pid())) {
                        ClusterView.Restart r = restarts.get(key);
                        restarts.put(key, new ClusterView.Restart(node, PidText.of(sup.pid()), child.id(),
                                (r == null ? 0 : r.restarts()) + 1, PidText.of(child.pid()), PidText.of(before),
                                nowMillis));
                    }
                } else if (sup.pid() != null) {
                    seen.add(new ChildKey(node, sup.pid(), child.id()));
                }
            } else if (sup.pid() != null) {
                seen.add(new ChildKey(node, sup.pid(), child.id())); // restarting: keep its last pid
            }
            walk(node, child, seen, nowMillis);
        }
    }

    private void watch(String node, Pid pid, String id) {
        if (monitored.contains(pid) || monitors.size() >= MAX_MONITORS) {
            return;
        }
        monitored.add(pid);
        monitors.put(watcher.monitor(pid), new Watched(node, pid, id));
    }

    /** Takes in a {@code DOWN} the watcher received; true if it was one of these monitors'. */
    boolean down(Down d, long nowMillis) {
        Watched w = monitors.remove(d.ref());
        if (w == null) {
            return false;
        }
        monitored.remove(w.pid());
        if (!Reasons.isNormal(d.reason())) {
            crashes.addFirst(new ClusterView.Crash(w.node(), PidText.of(w.pid()), w.id(),
                    TermFormat.print(d.reason()), nowMillis));
            if (crashes.size() > MAX_CRASHES) {
                crashes.removeLast();
            }
        }
        return true;
    }

    List<ClusterView.Restart> restarts() {
        return restarts.values().stream().sorted(java.util.Comparator.comparingLong(ClusterView.Restart::at)
                .reversed()).toList();
    }

    List<ClusterView.Crash> crashes() {
        return new ArrayList<>(crashes);
    }
}
