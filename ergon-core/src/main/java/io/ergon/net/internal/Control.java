package io.ergon.net.internal;

import io.ergon.node.Name;
import io.ergon.node.Reasons;
import io.ergon.node.internal.NodeCore;
import io.ergon.node.internal.ProcessCore;
import io.ergon.node.internal.Signal;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;

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

    private static final Atom EMPTY = Atom.of("");

    /** A control term and its payload ({@code null}: none). */
    record Encoded(Object control, Object payload) {
    }

    private Control() {
    }

    // ------------------------------------------------------------------ outgoing

    /** The control message for a message or signal from this node to {@code to}. */
    static Encoded outgoing(Connection c, Pid to, Object item, Pid systemPid) {
        // before the handshake the flags are unknown; the old forms are understood by every peer
        boolean payloadExits = c.state() == Connection.State.UP && c.has(DistFlags.EXIT_PAYLOAD);
        return outgoing(payloadExits, to, item, systemPid);
    }

    /**
     * The control message for a message or signal to {@code to}.
     *
     * @param payloadExits the peer takes exit reasons as payloads ({@code DFLAG_EXIT_PAYLOAD}, connection up)
     * @return null for a node-local signal, which never travels
     */
    static Encoded outgoing(boolean payloadExits, Pid to, Object item, Pid systemPid) {
        return switch (item) {
            case Signal.Link l -> new Encoded(Tuple.of(LINK, l.from, to), null);
            case Signal.Exit e -> payloadExits
                    ? new Encoded(Tuple.of(e.link ? PAYLOAD_EXIT : PAYLOAD_EXIT2, e.from, to), e.reason)
                    : new Encoded(Tuple.of(e.link ? EXIT : EXIT2, e.from, to, e.reason), null);
            case Signal.UnlinkId u -> new Encoded(Tuple.of(UNLINK_ID, u.id, u.from, to), null);
            case Signal.UnlinkAck a -> new Encoded(Tuple.of(UNLINK_ID_ACK, a.id, a.from, to), null);
            case Signal.Monitor m -> new Encoded(Tuple.of(MONITOR_P, m.from, to, m.ref), null);
            case Signal.Demonitor d -> new Encoded(Tuple.of(DEMONITOR_P, d.from, to, d.ref), null);
            case Signal.Down d -> {
                Object fromProc = d.item instanceof Name n ? n.name() : d.item;
                yield payloadExits
                        ? new Encoded(Tuple.of(PAYLOAD_MONITOR_P_EXIT, fromProc, to, d.ref), d.reason)
                        : new Encoded(Tuple.of(MONITOR_P_EXIT, fromProc, to, d.ref, d.reason), null);
            }
            case Signal.AliasMessage a -> new Encoded(Tuple.of(ALIAS_SEND, systemPid, a.alias), a.message);
            case Signal s -> null; // node-local signals (shutdown, node down) never travel
            default -> new Encoded(Tuple.of(SEND, EMPTY, to), item);
        };
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
    static void dispatch(Distribution dist, Connection c, FrameReader.Message m) throws FrameReader.ProtocolException {
        if (!(m.control() instanceof Tuple t) || t.size() == 0 || !(t.get(0) instanceof Long op)) {
            throw new FrameReader.ProtocolException("a control message is not a tuple starting with an opcode: "
                    + m.control());
        }
        try {
            apply(dist, c, op.intValue(), t, m.payload());
        } catch (ClassCastException | IndexOutOfBoundsException | NullPointerException e) {
            throw new FrameReader.ProtocolException("malformed control message " + t + ": " + e.getMessage());
        }
    }

    private static void apply(Distribution dist, Connection c, int op, Tuple t, Object payload)
            throws FrameReader.ProtocolException {
        NodeCore node = dist.node();
        switch (op) {
            case SEND, SEND_TT -> deliver(node, pid(t, 2), need(payload, t));
            case SEND_SENDER, SEND_SENDER_TT -> deliver(node, pid(t, 2), need(payload, t));
            case REG_SEND, REG_SEND_TT -> node.sendQuietly(pid(t, 1), (Atom) t.get(3), need(payload, t));
            case ALIAS_SEND, ALIAS_SEND_TT -> node.sendToAlias((Ref) t.get(2), need(payload, t));
            case LINK -> {
                Pid to = pid(t, 2);
                c.involve(to);
                deliver(node, to, new Signal.Link(pid(t, 1)));
            }
            case EXIT -> deliver(node, pid(t, 2), new Signal.Exit(pid(t, 1), t.get(3), true));
            case EXIT_TT -> deliver(node, pid(t, 2), new Signal.Exit(pid(t, 1), t.get(4), true));
            case PAYLOAD_EXIT, PAYLOAD_EXIT_TT -> deliver(node, pid(t, 2),
                    new Signal.Exit(pid(t, 1), need(payload, t), true));
            case EXIT2 -> deliver(node, pid(t, 2), new Signal.Exit(pid(t, 1), t.get(3), false));
            case EXIT2_TT -> deliver(node, pid(t, 2), new Signal.Exit(pid(t, 1), t.get(4), false));
            case PAYLOAD_EXIT2, PAYLOAD_EXIT2_TT -> deliver(node, pid(t, 2),
                    new Signal.Exit(pid(t, 1), need(payload, t), false));
            case UNLINK -> Connection.log().debug("ignored an old-style UNLINK from {}", c.peer());
            case UNLINK_ID -> deliver(node, pid(t, 3), new Signal.UnlinkId(pid(t, 2), (Long) t.get(1)));
            case UNLINK_ID_ACK -> deliver(node, pid(t, 3), new Signal.UnlinkAck(pid(t, 2), (Long) t.get(1)));
            case MONITOR_P -> monitor(dist, c, pid(t, 1), t.get(2), (Ref) t.get(3));
            case DEMONITOR_P -> demonitor(node, pid(t, 1), t.get(2), (Ref) t.get(3));
            case MONITOR_P_EXIT -> down(node, c, t.get(1), pid(t, 2), (Ref) t.get(3), t.get(4));
            case PAYLOAD_MONITOR_P_EXIT -> down(node, c, t.get(1), pid(t, 2), (Ref) t.get(3), need(payload, t));
            case SPAWN_REQUEST, SPAWN_REQUEST_TT -> Spawns.request(dist, c, t, payload);
            case SPAWN_REPLY, SPAWN_REPLY_TT -> {
                Pid to = pid(t, 2);
                int flags = ((Long) t.get(3)).intValue();
                if (flags != 0) {
                    c.involve(to);
                }
                deliver(node, to, new Signal.SpawnReply((Ref) t.get(1), flags, t.get(4)));
            }
            case GROUP_LEADER -> Connection.log().debug("ignored control message {} from {}", t, c.peer());
            default -> Connection.log().warn("ignored unknown control message {} from {}", t, c.peer());
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

    /** Delivers to a local pid; a peer has no business addressing another node's processes through us. */
    private static void deliver(NodeCore node, Pid to, Object item) {
        if (node.isLocal(to)) {
            node.route(to, item);
        }
    }

    private static void monitor(Distribution dist, Connection c, Pid from, Object target, Ref ref) {
        NodeCore node = dist.node();
        if (target instanceof Pid p) {
            if (node.isLocal(p)) {
                c.involve(p);
                node.route(p, new Signal.Monitor(from, ref, null));
            }
        } else if (target instanceof Atom name) {
            ProcessCore p = node.whereis(name);
            if (p == null) {
                dist.send(c, from, outgoing(c, from, new Signal.Down(ref, new Name(name, node.name()),
                        Reasons.NOPROC), node.systemPid()));
            } else {
                c.involve(p.pid());
                p.deliver(new Signal.Monitor(from, ref, name));
            }
        }
    }

    private static void demonitor(NodeCore node, Pid from, Object target, Ref ref) {
        if (target instanceof Pid p) {
            deliver(node, p, new Signal.Demonitor(from, ref));
        } else if (target instanceof Atom name) {
            ProcessCore p = node.whereis(name);
            if (p != null) {
                p.deliver(new Signal.Demonitor(from, ref));
            }
        }
    }

    private static void down(NodeCore node, Connection c, Object fromProc, Pid to, Ref ref, Object reason) {
        Object item = fromProc instanceof Atom name ? new Name(name, c.peer()) : fromProc;
        deliver(node, to, new Signal.Down(ref, item, reason));
    }
}
