package io.ergon.node.internal;

import io.ergon.node.ExitException;
import io.ergon.node.Name;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.TermFormat;

/**
 * Links and monitors as a process makes and ends them: Erlang's {@code link/1}, {@code unlink/1},
 * {@code monitor/2}, {@code demonitor/2} and {@code exit/2} on the owner's thread. Each records its own end in the
 * process's {@link Relations} and sends the signal that the other end applies on arrival ({@link ProcessSignals}).
 *
 * <p>Two shortcuts set up both ends at once, under both processes' monitors, with the effect the signals would
 * have: for a child being spawned (not running yet, so nothing can come between), and for a call's monitor of a
 * local server ({@link #monitorDirectly}), which spares the server an activation for the monitor and another for
 * the demonitor. Stateless.
 */
final class ProcessRelations {
    private ProcessRelations() {
    }

    /** Links to {@code target}; a missing local one is {@code noproc}: an exit, or an EXIT message if trapping. */
    static void link(ProcessCore p, Pid target) {
        NodeCore node = p.node();
        if (target.equals(p.pid())) {
            return;
        }
        if (node.isLocal(target) && node.lookup(target) == null) {
            if (!p.trapsExit()) {
                throw new ExitException(Reasons.NOPROC);
            }
            synchronized (p) {
                p.relations().linkActive(target);
            }
            p.deliver(new Signal.Exit(target, Reasons.NOPROC, true));
            return;
        }
        synchronized (p) {
            p.relations().linkActive(target);
        }
        node.route(target, new Signal.Link(p.pid()));
    }

    /** Starts OTP 26's unlink: the link is inactive until the peer acknowledges this unlink's id. */
    static void unlink(ProcessCore p, Pid target) {
        NodeCore node = p.node();
        long id;
        synchronized (p) {
            Relations r = p.relationsOrNull();
            Relations.LinkState s = r == null ? null : r.link(target);
            if (s == null || !s.active) {
                return;
            }
            id = node.nextUnlinkId();
            s.active = false;
            s.unlinkId = id;
        }
        node.route(target, new Signal.UnlinkId(p.pid(), id));
    }

    /** Links {@code p} and a child being spawned (not running yet), in both directions at once. */
    static void linkChild(ProcessCore p, ProcessCore child) {
        synchronized (p) {
            p.relations().linkActive(child.pid());
        }
        synchronized (child) {
            child.relations().linkReceived(p.pid());
        }
    }

    /** Monitors a child being spawned (not running yet), both ends at once. */
    static Ref monitorChild(ProcessCore p, ProcessCore child) {
        Ref ref = p.node().newRef();
        synchronized (p) {
            p.relations().addMonitor(ref, new Relations.Outgoing(child.pid(), child.pid(), false));
        }
        synchronized (child) {
            child.relations().addMonitoredBy(ref, new Relations.Incoming(p.pid(), null));
        }
        return ref;
    }

    /** Sets up, on a process not yet running, the link and monitor a remote spawn requester asked for. */
    static void acceptRemoteRequester(ProcessCore p, Pid requester, boolean link, Ref monitor) {
        synchronized (p) {
            if (link) {
                p.relations().linkReceived(requester);
            }
            if (monitor != null) {
                p.relations().addMonitoredBy(monitor, new Relations.Incoming(requester, null));
            }
        }
    }

    /**
     * Monitors a pid, a local registered name (Atom or String) or a {@link Name}; with {@code alias}, messages sent
     * to the returned reference as an alias are delivered until the monitor ends.
     */
    static Ref monitor(ProcessCore p, Object target, boolean alias) {
        NodeCore node = p.node();
        Ref ref = node.newRef();
        switch (Name.destination(target)) {
            case Pid t -> {
                addMonitor(p, ref, node.name().equals(t.node()) ? new Relations.Outgoing(t, t, alias)
                        : Relations.Outgoing.remote(t, t, alias));
                node.route(t, new Signal.Monitor(p.pid(), ref, null));
            }
            case Atom name -> monitorLocalName(p, ref, name, alias);
            case String name -> monitorLocalName(p, ref, Atom.of(name), alias);
            case Name n when node.name().equals(n.node()) -> monitorLocalName(p, ref, n.name(), alias);
            case Name n -> {
                addMonitor(p, ref, Relations.Outgoing.remote(n, null, alias));
                node.router().monitorName(node, p.pid(), n, ref);
            }
            default -> throw new IllegalArgumentException("cannot monitor " + TermFormat.print(target)
                    + ": expected a pid, a registered name, {Name, Node} or a Name");
        }
        return ref;
    }

    private static void monitorLocalName(ProcessCore p, Ref ref, Atom name, boolean alias) {
        NodeCore node = p.node();
        ProcessCore target = node.whereis(name);
        Name item = new Name(name, node.name());
        addMonitor(p, ref, new Relations.Outgoing(item, target == null ? null : target.pid(), alias));
        if (target == null) {
            p.deliver(new Signal.Down(ref, item, Reasons.NOPROC));
        } else {
            target.deliver(new Signal.Monitor(p.pid(), ref, name));
        }
    }

    private static void addMonitor(ProcessCore p, Ref ref, Relations.Outgoing monitor) {
        synchronized (p) {
            p.relations().addMonitor(ref, monitor);
        }
    }

    /** Ends a monitor; with {@code flush}, also drops its DOWN message if one is already queued. */
    static void demonitor(ProcessCore p, Ref ref, boolean flush) {
        NodeCore node = p.node();
        Relations.Outgoing held;
        synchronized (p) {
            Relations r = p.relationsOrNull();
            held = r == null ? null : r.removeMonitor(ref);
        }
        if (held != null) {
            if (held.alias()) {
                node.unregisterAlias(ref);
            }
            node.sendDemonitor(p.pid(), ref, held.target(), held.resolved());
        }
        if (flush) {
            SelectiveReceive.dropDown(p, ref);
        }
    }

    /** Erlang's {@code exit(Target, Reason)}: an exit signal, not through a link, from {@code p}. */
    static void exitSignal(ProcessCore p, Pid target, Object reason) {
        p.node().route(target, new Signal.Exit(p.pid(), reason, false));
    }

    /**
     * A call's monitor of a local process (see {@link GenCall}), set up directly under the callee's lock rather than
     * by a signal through its queue. The effect is a monitor's: a DOWN comes if the callee is gone now
     * ({@code noproc}) or exits before replying.
     */
    static Ref monitorDirectly(ProcessCore p, Object dest, ProcessCore target) {
        NodeCore node = p.node();
        Ref ref = node.newRef();
        Atom byName = dest instanceof Atom a ? a : dest instanceof Name n ? n.name() : null;
        Object item = byName == null ? target.pid() : new Name(byName, node.name());
        addMonitor(p, ref, new Relations.Outgoing(item, target.pid(), true));
        boolean alive;
        synchronized (target) {
            alive = target.isAlive();
            if (alive) {
                target.relations().addMonitoredBy(ref, new Relations.Incoming(p.pid(), byName));
            }
        }
        if (!alive) {
            p.deliver(new Signal.Down(ref, item, Reasons.NOPROC));
        }
        return ref;
    }

    /** Ends a {@link #monitorDirectly} monitor, and drops its DOWN if one is already queued. */
    static void demonitorDirectly(ProcessCore p, Ref ref, ProcessCore target) {
        synchronized (p) {
            Relations r = p.relationsOrNull();
            if (r != null) {
                r.removeMonitor(ref);
            }
        }
        synchronized (target) {
            Relations r = target.relationsOrNull();
            if (r != null) {
                r.removeMonitoredBy(ref);
            }
        }
        SelectiveReceive.dropDown(p, ref);
    }
}
