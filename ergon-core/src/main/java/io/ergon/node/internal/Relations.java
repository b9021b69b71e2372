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
        /** When it was made ({@link System#nanoTime()}): a node-down sent before it does not concern it. */
        long since = System.nanoTime();
    }

    /**
     * A monitor this process holds; {@code since}, for one of another node's process, when it was made (a node-down
     * sent before it concerns an older connection), else 0.
     */
    record Outgoing(Object target, Pid resolved, boolean alias, long since) {
        Outgoing(Object target, Pid resolved, boolean alias) {
            this(target, resolved, alias, 0);
        }

        /** A monitor of a process on another node, made now. */
        static Outgoing remote(Object target, Pid resolved, boolean alias) {
            return new Outgoing(target, resolved, alias, System.nanoTime());
        }
    }

    /** A monitor held on this process by another one; {@code since} as {@link Outgoing}'s. */
    record Incoming(Pid from, Atom name, long since) {
        Incoming(Pid from, Atom name) {
            this(from, name, 0);
        }
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
        s.since = System.nanoTime();
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
    /** The peers on {@code node} linked before {@code before} ({@link System#nanoTime()}). */
    List<Pid> linkedTo(Atom node, long before) {
        List<Pid> out = new ArrayList<>();
        if (links != null) {
            links.forEach((p, s) -> {
                if (p.node().equals(node) && s.since - before <= 0) {
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
