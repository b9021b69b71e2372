package io.ergon.node.internal;

import io.ergon.node.Down;
import io.ergon.node.Exit;
import io.ergon.node.Name;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a signal does when it reaches the head of a process's queue: Erlang's rules, applied on the owner's thread in
 * arrival order, so that all one sender sends one receiver takes effect in the order sent.
 * <ul>
 *   <li>link and unlink (OTP 26's unlink-id protocol), monitor and demonitor change the process's
 *       {@link Relations};</li>
 *   <li>an exit signal: {@code kill} sent by {@code exit/2} kills untrappably, with {@code killed}; a process that
 *       traps exits gets {@code {'EXIT', From, Reason}} as a message; otherwise {@code normal} is ignored (except
 *       {@code exit(self(), normal)}) and any other reason kills. One that comes through a link counts only while
 *       the link is active, and ends it;</li>
 *   <li>a DOWN, or a message sent to a monitor's alias, is delivered only while the monitor is held;</li>
 *   <li>node down: the monitors of its processes deliver DOWN {@code noconnection}, then the links to them act as
 *       exit signals {@code noconnection};</li>
 *   <li>the node's shutdown ends the process, running terminate.</li>
 * </ul>
 * Links and monitors change under the process's monitor, so that introspection reads a consistent copy. Stateless.
 */
final class ProcessSignals {
    private ProcessSignals() {
    }

    /** Applies a signal; returns the message it turns into, if any. Throws {@link ProcessExit} if it kills. */
    static Object onSignal(ProcessCore p, Signal signal) {
        switch (signal) {
            case Signal.Link l -> {
                if (l.claim()) {
                    synchronized (p) {
                        p.relations().linkReceived(l.from);
                    }
                }
                return null;
            }
            case Signal.UnlinkId u -> {
                synchronized (p) {
                    Relations r = p.relationsOrNull();
                    Relations.LinkState s = r == null ? null : r.link(u.from);
                    if (s != null && s.active) {
                        r.removeLink(u.from);
                    }
                }
                p.node().route(u.from, new Signal.UnlinkAck(p.pid(), u.id));
                return null;
            }
            case Signal.UnlinkAck a -> {
                synchronized (p) {
                    Relations r = p.relationsOrNull();
                    Relations.LinkState s = r == null ? null : r.link(a.from);
                    if (s != null && !s.active && s.unlinkId == a.id) {
                        r.removeLink(a.from);
                    }
                }
                return null;
            }
            case Signal.Exit e -> {
                return onExit(p, e);
            }
            case Signal.Monitor m -> {
                if (m.claim()) {
                    synchronized (p) {
                        p.relations().addMonitoredBy(m.ref, new Relations.Incoming(m.from, m.name,
                                m.from.node().equals(p.node().name()) ? 0 : System.nanoTime()));
                    }
                }
                return null;
            }
            case Signal.Demonitor d -> {
                synchronized (p) {
                    Relations r = p.relationsOrNull();
                    if (r != null) {
                        r.removeMonitoredBy(d.ref);
                    }
                }
                return null;
            }
            case Signal.Down d -> {
                Relations.Outgoing held;
                synchronized (p) {
                    Relations r = p.relationsOrNull();
                    held = r == null ? null : r.removeMonitor(d.ref);
                }
                if (held != null && held.alias()) {
                    p.node().unregisterAlias(d.ref);
                }
                return held == null ? null : new Down(d.ref, d.item, d.reason);
            }
            case Signal.AliasMessage a -> {
                Relations r = p.relationsOrNull();
                Relations.Outgoing held = r == null ? null : r.monitor(a.alias);
                if (held != null && held.alias()) {
                    return a.message;
                }
                NodeCore.dropInbound(a.message); // a reply that came too late from another node: never received
                return null;
            }
            case Signal.SpawnReply r -> {
                return RemoteSpawn.onReply(p, r);
            }
            case Signal.NodeDown nd -> {
                onNodeDown(p, nd.node, nd.sentAt);
                return null;
            }
            case Signal.Shutdown s -> {
                if (p.terminating) {
                    return null; // already on its way out; let terminate finish
                }
                throw ExitFlow.markExit(p, s.reason, true);
            }
        }
    }

    /**
     * Node {@code lost} went away: monitors of its processes deliver DOWN {@code noconnection} (saved as messages,
     * in order), then links to its processes act as exit signals with {@code noconnection}.
     */
    private static void onNodeDown(ProcessCore p, Atom lost, long sentAt) {
        RemoteSpawn.onNodeDown(p, lost, sentAt);
        NodeCore node = p.node();
        List<Pid> linked = new ArrayList<>();
        synchronized (p) {
            Relations r = p.relationsOrNull();
            if (r == null) {
                return;
            }
            for (Map.Entry<Ref, Relations.Outgoing> e : new ArrayList<>(r.monitors().entrySet())) {
                Relations.Outgoing o = e.getValue();
                Atom where = o.target() instanceof Pid t ? t.node() : o.target() instanceof Name n ? n.node() : null;
                if (lost.equals(where) && o.since() - sentAt <= 0) { // not one made over a newer connection
                    r.removeMonitor(e.getKey());
                    if (o.alias()) {
                        node.unregisterAlias(e.getKey());
                    }
                    SelectiveReceive.save(p, new Down(e.getKey(), o.target(), Reasons.NOCONNECTION));
                }
            }
            r.monitoredBy().entrySet().removeIf(e -> e.getValue().from().node().equals(lost)
                    && e.getValue().since() - sentAt <= 0);
            linked.addAll(r.linkedTo(lost, sentAt));
        }
        for (Pid peer : linked) {
            Object m = onExit(p, new Signal.Exit(peer, Reasons.NOCONNECTION, true));
            if (m != null) {
                SelectiveReceive.save(p, m);
            }
        }
    }

    /** Erlang's exit-signal rules (see the class comment). */
    private static Object onExit(ProcessCore p, Signal.Exit e) {
        if (e.link) {
            synchronized (p) {
                Relations r = p.relationsOrNull();
                Relations.LinkState s = r == null ? null : r.link(e.from);
                if (s == null) {
                    return null;
                }
                r.removeLink(e.from);
                if (!s.active) {
                    return null; // we were unlinking: the signal is void, and the peer is gone
                }
            }
        }
        Object reason = e.reason;
        if (!e.link && reason == Reasons.KILL) {
            throw ExitFlow.markExit(p, Reasons.KILLED, false);
        }
        if (p.trapsExit()) {
            return new Exit(e.from, reason);
        }
        if (reason == Reasons.NORMAL) {
            if (!e.link && e.from.equals(p.pid())) {
                throw ExitFlow.markExit(p, Reasons.NORMAL, false);
            }
            return null;
        }
        throw ExitFlow.markExit(p, reason, false);
    }
}
