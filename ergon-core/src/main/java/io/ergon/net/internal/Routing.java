package io.ergon.net.internal;

import io.ergon.etf.EtfBuffer;
import io.ergon.etf.EtfEncoder;
import io.ergon.node.Name;
import io.ergon.node.Reasons;
import io.ergon.node.spi.LocalNode;
import io.ergon.node.spi.RemoteSignals;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a distributed node's {@link RemoteSignals} go: turns what local processes send to other nodes into control
 * messages on the right connection, encoding them on the sender's thread so that a value with no term mapping fails
 * at the {@code send} with a clear error. Links and monitors that cannot reach their node fail with
 * {@code noconnection}, and those that name a pid of a node's earlier incarnation with {@code noproc}.
 *
 * <p>As in ERTS, only what starts something connects to a node not connected: a message, a link, a monitor, an
 * {@code exit/2}, a spawn. What ends something (an unlink and its ack, a demonitor, the exit signal a link carries
 * and the DOWN a monitor sends when a process exits) is dropped when there is no connection: the links and monitors
 * it ends went with the connection. Connecting for them made a node that had just lost a peer connect to it again
 * at once (seen when a process exited while its node-down was still queued).
 */
final class Routing implements RemoteSignals {
    private static final Logger LOG = LoggerFactory.getLogger(Routing.class);
    private static final Atom UNENCODABLE = Atom.of("unencodable");

    private final Distribution dist;
    private final ThreadLocal<EtfEncoder> encoders;

    Routing(Distribution dist) {
        this.dist = dist;
        this.encoders = ThreadLocal.withInitial(() -> new EtfEncoder(dist.records()));
    }

    private LocalNode local() {
        return dist.node();
    }

    @Override
    public void send(Pid to, Object message) {
        toPid(to, true, null, null, c -> Control.send(to, message));
    }

    @Override
    public void link(Pid from, Pid to) {
        toPid(to, true, from, reason -> local().exit(to, from, reason, true), c -> Control.link(from, to));
    }

    @Override
    public void exit(Pid from, Pid to, Object reason, boolean viaLink) {
        // exit/2 connects, as a send does; a link's exit signal does not (the link went with the connection)
        toPid(to, !viaLink, null, null, c -> Control.exit(Control.payloadExits(c), from, to, reason, viaLink));
    }

    @Override
    public void unlink(Pid from, Pid to, long id) {
        toPid(to, false, null, null, c -> Control.unlinkId(from, to, id));
    }

    @Override
    public void unlinkAck(Pid from, Pid to, long id) {
        toPid(to, false, null, null, c -> Control.unlinkAck(from, to, id));
    }

    @Override
    public void monitor(Pid from, Pid to, Ref ref) {
        toPid(to, true, from, reason -> local().down(from, ref, to, reason), c -> Control.monitor(from, to, ref));
    }

    @Override
    public void demonitor(Pid from, Pid to, Ref ref) {
        toPid(to, false, null, null, c -> Control.demonitor(from, to, ref));
    }

    @Override
    public void down(Pid to, Ref ref, Object monitored, Object reason) {
        toPid(to, false, null, null, c -> Control.down(Control.payloadExits(c), to, ref, monitored, reason));
    }

    /**
     * Sends one signal to a remote pid, connecting to its node first if {@code connect} (else dropping the signal when
     * there is no connection). {@code involving} is the local process that gets a link or monitor across
     * the connection (null for none); {@code failWith} answers that link or monitor when the target cannot be
     * reached ({@code noconnection}) or names an earlier incarnation of its node ({@code noproc}); without it such
     * a signal is dropped.
     */
    private void toPid(Pid to, boolean connect, Pid involving, Consumer<Object> failWith,
                       Function<Connection, Control.Encoded> encode) {
        Connection c = connect ? dist.connectionTo(to.node()) : dist.connections().get(to.node());
        if (c == null) {
            if (failWith != null) {
                failWith.accept(Reasons.NOCONNECTION);
            }
            return;
        }
        if (c.state() == Connection.State.UP && c.peerCreation() != to.creation()) {
            // a pid of an earlier incarnation of that node: it does not exist any more
            if (failWith != null) {
                failWith.accept(Reasons.NOPROC);
            }
            return;
        }
        Control.Encoded e = encode.apply(c);
        if (involving != null) {
            c.involve(involving);
        }
        send(c, to, e);
    }

    @Override
    public void sendToName(Pid from, Name to, Object message) {
        Connection c = dist.connectionTo(to.node());
        if (c != null) {
            send(c, to, Control.regSend(from, to.name(), message));
        }
    }

    @Override
    public void sendToAlias(Pid from, Ref alias, Object message) {
        Connection c = dist.connectionTo(alias.node());
        if (c != null) {
            send(c, alias, Control.aliasSend(from, alias, message));
        }
    }

    @Override
    public void monitorName(Pid from, Name target, Ref ref) {
        Connection c = dist.connectionTo(target.node());
        if (c == null) {
            local().down(from, ref, target, Reasons.NOCONNECTION);
            return;
        }
        c.involve(from);
        send(c, target, Control.monitorName(from, target.name(), ref));
    }

    @Override
    public void demonitorName(Pid from, Name target, Ref ref) {
        Connection c = dist.connections().get(target.node());
        if (c != null) {
            send(c, target, Control.demonitorName(from, target.name(), ref));
        }
    }

    @Override
    public void spawnRequest(Pid from, Atom onNode, Ref reqId, Atom module, Atom function, List<Object> args,
                             List<Object> spawnOptions) {
        Connection c = dist.connectionTo(onNode);
        if (c == null) {
            local().spawnReply(from, reqId, 0, Reasons.NOCONNECTION);
            return;
        }
        c.involve(from);
        Pid io = local().whereis(IoServer.NAME);
        Object groupLeader = io == null ? from : io;
        send(c, onNode, new Control.Encoded(Tuple.of(Control.SPAWN_REQUEST, reqId, from, groupLeader,
                Tuple.of(module, function, (long) args.size()), spawnOptions), args));
    }

    /** Encodes and queues one control message (with its payload). */
    void send(Connection c, Object to, Control.Encoded e) {
        // a process that outpaces the peer waits here, as Erlang suspends a sender on a busy distribution port
        if (e.payload() != null && c.isBusy(dist.busyLimit()) && !local().threads().isNonBlocking()) {
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
}
