package io.ergon.net.internal;

import io.ergon.node.Name;
import io.ergon.node.Reasons;
import io.ergon.node.spi.LocalNode;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distribution control messages: what a local message or signal becomes on the wire, and what an incoming control
 * message does here. The opcodes and tuple shapes are OTP's ({@code erl_dist_protocol}); every variant a peer may
 * send is understood (old and payload exits, the trace-token forms, SEND and SEND_SENDER).
 */
final class Control {
    static final int LINK = 1;
    static final int SEND = 2;
    static final int EXIT = 3;
    static final int UNLINK = 4;
    static final int REG_SEND = 6;
    static final int GROUP_LEADER = 7;
    static final int EXIT2 = 8;
    static final int SEND_TT = 12;
    static final int EXIT_TT = 13;
    static final int REG_SEND_TT = 16;
    static final int EXIT2_TT = 18;
    static final int MONITOR_P = 19;
    static final int DEMONITOR_P = 20;
    static final int MONITOR_P_EXIT = 21;
    static final int SEND_SENDER = 22;
    static final int SEND_SENDER_TT = 23;
    static final int PAYLOAD_EXIT = 24;
    static final int PAYLOAD_EXIT_TT = 25;
    static final int PAYLOAD_EXIT2 = 26;
    static final int PAYLOAD_EXIT2_TT = 27;
    static final int PAYLOAD_MONITOR_P_EXIT = 28;
    static final int SPAWN_REQUEST = 29;
    static final int SPAWN_REQUEST_TT = 30;
    static final int SPAWN_REPLY = 31;
    static final int SPAWN_REPLY_TT = 32;
    static final int ALIAS_SEND = 33;
    static final int ALIAS_SEND_TT = 34;
    static final int UNLINK_ID = 35;
    static final int UNLINK_ID_ACK = 36;

    /** SPAWN_REPLY flags: the link the request asked for is set up. */
    static final int SPAWN_LINKED = 1;
    /** SPAWN_REPLY flags: the monitor the request asked for is set up (its reference is the request id). */
    static final int SPAWN_MONITORED = 2;

    private static final Atom EMPTY = Atom.of("");
    /** Ignored control messages are logged under Connection, where they were before dispatch moved here. */
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    /** A control term and its payload ({@code null}: none). */
    record Encoded(Object control, Object payload) {
    }

    /** The connection an incoming control message came on, as carrying it out needs it ({@link Connection}). */
    interface Origin {
        /** The peer's node name. */
        Atom peer();

        /** Notes that local process {@code local} has a link or monitor across this connection. */
        void involve(Pid local);

        /** True if exit reasons go to the peer as payloads (see {@link Control#payloadExits}). */
        boolean payloadExits();

        /** Sends a control message back to {@code to} on the peer. */
        void reply(Pid to, Encoded e);

        /** Serves a {@code SPAWN_REQUEST} (see {@link Spawns}). */
        void spawnRequest(Tuple control, Object payload);

        /**
         * The message to deliver for {@code message}, which took {@code bytes} on the wire: an
         * {@link io.ergon.node.spi.InboundMessage} charged to this connection's inbound backlog (see
         * {@link InboundBacklog}), or the message itself where nothing is counted.
         */
        default Object inbound(Object message, int bytes) {
            return message;
        }
    }

    private Control() {
    }

    // ------------------------------------------------------------------ outgoing

    /** Whether exit reasons go to {@code c}'s peer as payloads; before the handshake the flags are unknown, and the
     * old forms are understood by every peer. */
    static boolean payloadExits(Connection c) {
        return c.state() == Connection.State.UP && c.has(DistFlags.EXIT_PAYLOAD);
    }

    static Encoded send(Pid to, Object message) {
        return new Encoded(Tuple.of(SEND, EMPTY, to), message);
    }

    static Encoded link(Pid from, Pid to) {
        return new Encoded(Tuple.of(LINK, from, to), null);
    }

    /**
     * An exit signal through a link ({@code viaLink}) or from {@code exit/2}.
     *
     * @param payloadExits the peer takes exit reasons as payloads ({@code DFLAG_EXIT_PAYLOAD}, connection up)
     */
    static Encoded exit(boolean payloadExits, Pid from, Pid to, Object reason, boolean viaLink) {
        return payloadExits
                ? new Encoded(Tuple.of(viaLink ? PAYLOAD_EXIT : PAYLOAD_EXIT2, from, to), reason)
                : new Encoded(Tuple.of(viaLink ? EXIT : EXIT2, from, to, reason), null);
    }

    static Encoded unlinkId(Pid from, Pid to, long id) {
        return new Encoded(Tuple.of(UNLINK_ID, id, from, to), null);
    }

    static Encoded unlinkAck(Pid from, Pid to, long id) {
        return new Encoded(Tuple.of(UNLINK_ID_ACK, id, from, to), null);
    }

    static Encoded monitor(Pid from, Pid to, Ref ref) {
        return new Encoded(Tuple.of(MONITOR_P, from, to, ref), null);
    }

    static Encoded demonitor(Pid from, Pid to, Ref ref) {
        return new Encoded(Tuple.of(DEMONITOR_P, from, to, ref), null);
    }

    /** A monitor of {@code to}'s fired: {@code monitored} is the pid, or the {@link Name} it was monitored by. */
    static Encoded down(boolean payloadExits, Pid to, Ref ref, Object monitored, Object reason) {
        Object fromProc = monitored instanceof Name n ? n.name() : monitored;
        return payloadExits
                ? new Encoded(Tuple.of(PAYLOAD_MONITOR_P_EXIT, fromProc, to, ref), reason)
                : new Encoded(Tuple.of(MONITOR_P_EXIT, fromProc, to, ref, reason), null);
    }

    static Encoded regSend(Pid from, Atom name, Object message) {
        return new Encoded(Tuple.of(REG_SEND, from, EMPTY, name), message);
    }

    static Encoded aliasSend(Pid from, Ref alias, Object message) {
        return new Encoded(Tuple.of(ALIAS_SEND, from, alias), message);
    }

    static Encoded monitorName(Pid from, Atom name, Ref ref) {
        return new Encoded(Tuple.of(MONITOR_P, from, name, ref), null);
    }

    static Encoded demonitorName(Pid from, Atom name, Ref ref) {
        return new Encoded(Tuple.of(DEMONITOR_P, from, name, ref), null);
    }

    // ------------------------------------------------------------------ incoming

    /**
     * Carries out one incoming control message.
     *
     * @throws FrameReader.ProtocolException if it is malformed
     */
    static void dispatch(LocalNode node, Origin c, FrameReader.Message m) throws FrameReader.ProtocolException {
        if (!(m.control() instanceof Tuple t) || t.size() == 0 || !(t.get(0) instanceof Long op)) {
            throw new FrameReader.ProtocolException("a control message is not a tuple starting with an opcode: "
                    + m.control());
        }
        try {
            apply(node, c, op.intValue(), t, m.payload(), m.bytes());
        } catch (ClassCastException | IndexOutOfBoundsException | NullPointerException e) {
            throw new FrameReader.ProtocolException("malformed control message " + t + ": " + e.getMessage());
        }
    }

    /**
     * Carries out one control message. A message for a local process goes as {@link Origin#inbound}, charged to the
     * connection's backlog only once every cast of the control tuple has passed (Java evaluates arguments left to
     * right), so that a malformed message charges nothing that would never be released.
     */
    private static void apply(LocalNode node, Origin c, int op, Tuple t, Object payload, int bytes)
            throws FrameReader.ProtocolException {
        switch (op) {
            case SEND, SEND_TT, SEND_SENDER, SEND_SENDER_TT -> deliver(node, c, pid(t, 2), need(payload, t), bytes);
            case REG_SEND, REG_SEND_TT ->
                    node.sendToName(pid(t, 1), (Atom) t.get(3), c.inbound(need(payload, t), bytes));
            case ALIAS_SEND, ALIAS_SEND_TT -> node.sendToAlias((Ref) t.get(2), c.inbound(need(payload, t), bytes));
            case LINK -> {
                Pid to = pid(t, 2);
                c.involve(to);
                if (node.isLocal(to)) {
                    node.link(pid(t, 1), to);
                }
            }
            case EXIT -> exit(node, pid(t, 1), pid(t, 2), t.get(3), true);
            case EXIT_TT -> exit(node, pid(t, 1), pid(t, 2), t.get(4), true);
            case PAYLOAD_EXIT, PAYLOAD_EXIT_TT -> exit(node, pid(t, 1), pid(t, 2), need(payload, t), true);
            case EXIT2 -> exit(node, pid(t, 1), pid(t, 2), t.get(3), false);
            case EXIT2_TT -> exit(node, pid(t, 1), pid(t, 2), t.get(4), false);
            case PAYLOAD_EXIT2, PAYLOAD_EXIT2_TT -> exit(node, pid(t, 1), pid(t, 2), need(payload, t), false);
            case UNLINK -> LOG.debug("ignored an old-style UNLINK from {}", c.peer());
            case UNLINK_ID -> {
                Pid to = pid(t, 3);
                if (node.isLocal(to)) {
                    node.unlink(pid(t, 2), to, (Long) t.get(1));
                }
            }
            case UNLINK_ID_ACK -> {
                Pid to = pid(t, 3);
                if (node.isLocal(to)) {
                    node.unlinkAck(pid(t, 2), to, (Long) t.get(1));
                }
            }
            case MONITOR_P -> monitor(node, c, pid(t, 1), t.get(2), (Ref) t.get(3));
            case DEMONITOR_P -> demonitor(node, pid(t, 1), t.get(2), (Ref) t.get(3));
            case MONITOR_P_EXIT -> down(node, c, t.get(1), pid(t, 2), (Ref) t.get(3), t.get(4));
            case PAYLOAD_MONITOR_P_EXIT -> down(node, c, t.get(1), pid(t, 2), (Ref) t.get(3), need(payload, t));
            case SPAWN_REQUEST, SPAWN_REQUEST_TT -> c.spawnRequest(t, payload);
            case SPAWN_REPLY, SPAWN_REPLY_TT -> {
                Pid to = pid(t, 2);
                int flags = ((Long) t.get(3)).intValue();
                if (flags != 0) {
                    c.involve(to);
                }
                if (node.isLocal(to)) {
                    node.spawnReply(to, (Ref) t.get(1), flags, t.get(4));
                }
            }
            case GROUP_LEADER -> LOG.debug("ignored control message {} from {}", t, c.peer());
            default -> LOG.warn("ignored unknown control message {} from {}", t, c.peer());
        }
    }

    private static Pid pid(Tuple t, int i) {
        return (Pid) t.get(i);
    }

    private static Object need(Object payload, Tuple t) throws FrameReader.ProtocolException {
        if (payload == null) {
            throw new FrameReader.ProtocolException("control message " + t + " came without its payload");
        }
        return payload;
    }

    // a peer has no business addressing another node's processes through us: only local targets are served

    private static void deliver(LocalNode node, Origin c, Pid to, Object message, int bytes) {
        if (node.isLocal(to)) {
            node.send(to, c.inbound(message, bytes));
        }
    }

    private static void exit(LocalNode node, Pid from, Pid to, Object reason, boolean viaLink) {
        if (node.isLocal(to)) {
            node.exit(from, to, reason, viaLink);
        }
    }

    private static void monitor(LocalNode node, Origin c, Pid from, Object target, Ref ref) {
        if (target instanceof Pid p) {
            if (node.isLocal(p)) {
                c.involve(p);
                node.monitor(from, p, ref, null);
            }
        } else if (target instanceof Atom name) {
            Pid p = node.whereis(name);
            if (p == null) {
                c.reply(from, down(c.payloadExits(), from, ref, new Name(name, node.name()), Reasons.NOPROC));
            } else {
                c.involve(p);
                node.monitor(from, p, ref, name);
            }
        }
    }

    private static void demonitor(LocalNode node, Pid from, Object target, Ref ref) {
        Pid p = target instanceof Atom name ? node.whereis(name) : target instanceof Pid pid ? pid : null;
        if (p != null && node.isLocal(p)) {
            node.demonitor(from, p, ref);
        }
    }

    private static void down(LocalNode node, Origin c, Object fromProc, Pid to, Ref ref, Object reason) {
        Object monitored = fromProc instanceof Atom name ? new Name(name, c.peer()) : fromProc;
        if (node.isLocal(to)) {
            node.down(to, ref, monitored, reason);
        }
    }
}
