package io.ergon.net.internal;

import io.ergon.etf.EtfBuffer;
import io.ergon.etf.EtfEncoder;
import io.ergon.node.Name;
import io.ergon.node.Reasons;
import io.ergon.node.internal.NodeCore;
import io.ergon.node.internal.RemoteRouter;
import io.ergon.node.internal.Signal;
import io.ergon.node.internal.SystemThreads;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link RemoteRouter} once it is distributed: turns what local processes send to other nodes into
 * control messages on the right connection (connecting on first use), encoding them on the sender's thread so that a
 * value with no term mapping fails at the {@code send} with a clear error. Links and monitors that cannot reach
 * their node fail with {@code noconnection}, and those that name a pid of a node's earlier incarnation with
 * {@code noproc}.
 */
final class Routing implements RemoteRouter {
    private static final Logger LOG = LoggerFactory.getLogger(Routing.class);
    private static final Atom UNENCODABLE = Atom.of("unencodable");

    private final Distribution dist;
    private final ThreadLocal<EtfEncoder> encoders;

    Routing(Distribution dist) {
        this.dist = dist;
        this.encoders = ThreadLocal.withInitial(() -> new EtfEncoder(dist.records()));
    }

    @Override
    public void route(NodeCore local, Pid to, Object item) {
        Connection c = dist.connectionTo(to.node());
        if (c == null) {
            unreachable(local, to, item);
            return;
        }
        if (c.state() == Connection.State.UP && c.peerCreation() != to.creation()) {
            // a pid of an earlier incarnation of that node: it does not exist any more
            staleTarget(local, to, item);
            return;
        }
        Control.Encoded e = Control.outgoing(c, to, item, local.systemPid());
        if (e == null) {
            return;
        }
        if (item instanceof Signal.Link l) {
            c.involve(l.from);
        } else if (item instanceof Signal.Monitor m) {
            c.involve(m.from);
        }
        send(c, to, e);
    }

    @Override
    public void sendToName(NodeCore local, Pid from, Name to, Object message) {
        Connection c = dist.connectionTo(to.node());
        if (c != null) {
            send(c, to, Control.regSend(from, to.name(), message));
        }
    }

    @Override
    public void sendToAlias(NodeCore local, Pid from, Ref alias, Object message) {
        Connection c = dist.connectionTo(alias.node());
        if (c != null) {
            send(c, alias, Control.aliasSend(from, alias, message));
        }
    }

    @Override
    public void monitorName(NodeCore local, Pid from, Name target, Ref ref) {
        Connection c = dist.connectionTo(target.node());
        if (c == null) {
            local.route(from, new Signal.Down(ref, target, Reasons.NOCONNECTION));
            return;
        }
        c.involve(from);
        send(c, target, Control.monitorName(from, target.name(), ref));
    }

    @Override
    public void demonitorName(NodeCore local, Pid from, Name target, Ref ref) {
        Connection c = dist.connections().get(target.node());
        if (c != null) {
            send(c, target, Control.demonitorName(from, target.name(), ref));
        }
    }

    @Override
    public void spawnRequest(NodeCore local, Pid from, Atom onNode, Ref reqId, Atom module, Atom function,
                             List<Object> args, List<Object> spawnOptions) {
        Connection c = dist.connectionTo(onNode);
        if (c == null) {
            local.route(from, new Signal.SpawnReply(reqId, 0, Reasons.NOCONNECTION));
            return;
        }
        c.involve(from);
        io.ergon.node.internal.ProcessCore io = local.whereis(IoServer.NAME);
        Object groupLeader = io == null ? from : io.pid();
        send(c, onNode, new Control.Encoded(Tuple.of(Control.SPAWN_REQUEST, reqId, from, groupLeader,
                Tuple.of(module, function, (long) args.size()), spawnOptions), args));
    }

    /** Encodes and queues one control message (with its payload). */
    void send(Connection c, Object to, Control.Encoded e) {
        // a process that outpaces the peer waits here, as Erlang suspends a sender on a busy distribution port
        if (e.payload() != null && c.isBusy(dist.busyLimit()) && !SystemThreads.isNonBlocking()) {
            c.awaitNotBusy(dist.busyLimit());
        }
        OutFrame frame;
        try {
            frame = encode(e.control(), e.payload());
        } catch (IllegalArgumentException bad) {
            if (!(e.payload() != null && e.control() instanceof Tuple t && isExitLike(t))) {
                throw new IllegalArgumentException("cannot send to " + to + " on " + c.peer() + ": "
                        + bad.getMessage(), bad);
            }
            // an exit reason with no term mapping must still reach the linked or monitoring process
            LOG.warn("an exit reason for {} has no term mapping ({}); sending {} instead", to, bad.getMessage(),
                    UNENCODABLE);
            frame = encode(e.control(), Tuple.of(UNENCODABLE, Atom.of(e.payload().getClass().getName())));
        }
        if (!c.send(frame)) {
            LOG.debug("dropped a message to {}: the connection to {} is closed", to, c.peer());
        }
    }

    private static boolean isExitLike(Tuple t) {
        long op = t.get(0) instanceof Long l ? l : ((Number) t.get(0)).longValue();
        return op == Control.PAYLOAD_EXIT || op == Control.PAYLOAD_EXIT2 || op == Control.PAYLOAD_MONITOR_P_EXIT;
    }

    private OutFrame encode(Object control, Object payload) {
        EtfEncoder enc = encoders.get();
        EtfBuffer buf = new EtfBuffer(64);
        enc.encode(control, buf);
        int ctrlLength = buf.size();
        if (payload != null) {
            enc.encode(payload, buf);
        }
        return new OutFrame(buf.toByteArray(), ctrlLength);
    }

    /** No connection can be had: messages are dropped, links and monitors fail with {@code noconnection}. */
    private void unreachable(NodeCore local, Pid to, Object item) {
        if (item instanceof Signal.Link l) {
            local.route(l.from, new Signal.Exit(to, Reasons.NOCONNECTION, true));
        } else if (item instanceof Signal.Monitor m) {
            local.route(m.from, new Signal.Down(m.ref, to, Reasons.NOCONNECTION));
        }
    }

    private void staleTarget(NodeCore local, Pid to, Object item) {
        if (item instanceof Signal.Link l) {
            local.route(l.from, new Signal.Exit(to, Reasons.NOPROC, true));
        } else if (item instanceof Signal.Monitor m) {
            local.route(m.from, new Signal.Down(m.ref, to, Reasons.NOPROC));
        }
    }

}
