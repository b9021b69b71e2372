package io.ergon.node.internal;

import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A process's links and monitors, allocated only once it has any. Changed only by the owning process's thread,
 * under the process's monitor so that {@code info} can read a consistent copy.
 *
 * <p>Links follow OTP 26's protocol: an entry is active, or inactive while an unlink awaits its acknowledgement
 * ({@code unlinkId} names that unlink).
 */
final class Relations {
    /** One end of a link. */
    static final class LinkState {
        boolean active = true;
        long unlinkId;
    }

    /** A monitor this process holds. */
    record Outgoing(Object target, Pid resolved, boolean alias) {
    }

    /** A monitor held on this process by another one. */
    record Incoming(Pid from, Atom name) {
    }

    private Map<Pid, LinkState> links;
    private Map<Ref, Outgoing> monitors;
    private Map<Ref, Incoming> monitoredBy;

    // ---- links

    /** The link to {@code peer}, or null. */
    LinkState link(Pid peer) {
        return links == null ? null : links.get(peer);
    }

    /** Creates or reactivates the link to {@code peer} (we linked). */
    void linkActive(Pid peer) {
        if (links == null) {
            links = new HashMap<>(4);
        }
        LinkState s = links.computeIfAbsent(peer, p -> new LinkState());
        s.active = true;
        s.unlinkId = 0;
    }

    /** A peer linked to us: create an active entry unless one exists (OTP 26 rule). */
    void linkReceived(Pid peer) {
        if (links == null) {
            links = new HashMap<>(4);
        }
        links.putIfAbsent(peer, new LinkState());
    }

    void removeLink(Pid peer) {
        if (links != null) {
            links.remove(peer);
        }
    }

    /** Peers of active links. */
    List<Pid> activeLinks() {
        List<Pid> out = new ArrayList<>();
        if (links != null) {
            links.forEach((p, s) -> {
                if (s.active) {
                    out.add(p);
                }
            });
        }
        return out;
    }

    /** Peers on {@code node}, active or not. */
    List<Pid> linkedTo(Atom node) {
        List<Pid> out = new ArrayList<>();
        if (links != null) {
            links.keySet().forEach(p -> {
                if (p.node().equals(node)) {
                    out.add(p);
                }
            });
        }
        return out;
    }

    boolean hasLinks() {
        return links != null && !links.isEmpty();
    }

    // ---- monitors this process holds

    void addMonitor(Ref ref, Outgoing monitor) {
        if (monitors == null) {
            monitors = new HashMap<>(4);
        }
        monitors.put(ref, monitor);
    }

    Outgoing monitor(Ref ref) {
        return monitors == null ? null : monitors.get(ref);
    }

    Outgoing removeMonitor(Ref ref) {
        return monitors == null ? null : monitors.remove(ref);
    }

    Map<Ref, Outgoing> monitors() {
        return monitors == null ? Map.of() : monitors;
    }

    // ---- monitors held on this process

    void addMonitoredBy(Ref ref, Incoming who) {
        if (monitoredBy == null) {
            monitoredBy = new HashMap<>(4);
        }
        monitoredBy.put(ref, who);
    }

    void removeMonitoredBy(Ref ref) {
        if (monitoredBy != null) {
            monitoredBy.remove(ref);
        }
    }

    Map<Ref, Incoming> monitoredBy() {
        return monitoredBy == null ? Map.of() : monitoredBy;
    }
}
