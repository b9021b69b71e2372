package io.ergon.node.internal;

import io.ergon.node.Name;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Atom;
import java.util.List;

/**
 * Where a node sends what is addressed to other nodes: the seam the distribution layer fills. Without distribution
 * ({@link #NONE}) messages to other nodes are dropped, as Erlang drops messages to unreachable nodes, and links and
 * monitors to them fail at once with {@code noconnection}.
 */
public interface RemoteRouter {
    /** Delivers a message or a {@link Signal} to a pid of another node. */
    void route(NodeCore local, Pid to, Object item);

    /** Sends a message to a name registered on another node. */
    void sendToName(NodeCore local, Pid from, Name to, Object message);

    /** Sends a message to an alias (a reference) of a process on another node. */
    void sendToAlias(NodeCore local, Pid from, Ref alias, Object message);

    /** Monitors a name registered on another node. */
    void monitorName(NodeCore local, Pid from, Name target, Ref ref);

    /** Ends a monitor of a name registered on another node. */
    void demonitorName(NodeCore local, Pid from, Name target, Ref ref);

    /**
     * Asks {@code node} to spawn {@code module:function(args)} for {@code from}; the answer comes back to
     * {@code from} as a {@link Signal.SpawnReply} with {@code reqId}.
     */
    void spawnRequest(NodeCore local, Pid from, Atom node, Ref reqId, Atom module, Atom function, List<Object> args,
                      List<Object> options);

    /** No distribution. */
    RemoteRouter NONE = new RemoteRouter() {
        @Override
        public void route(NodeCore local, Pid to, Object item) {
            local.answerUndelivered(to, item, Reasons.NOCONNECTION);
        }

        @Override
        public void sendToName(NodeCore local, Pid from, Name to, Object message) {
        }

        @Override
        public void sendToAlias(NodeCore local, Pid from, Ref alias, Object message) {
        }

        @Override
        public void monitorName(NodeCore local, Pid from, Name target, Ref ref) {
            local.route(from, new Signal.Down(ref, target, Reasons.NOCONNECTION));
        }

        @Override
        public void demonitorName(NodeCore local, Pid from, Name target, Ref ref) {
        }

        @Override
        public void spawnRequest(NodeCore local, Pid from, Atom node, Ref reqId, Atom module, Atom function,
                                 List<Object> args, List<Object> options) {
            local.route(from, new Signal.SpawnReply(reqId, 0, Reasons.NOCONNECTION));
        }
    };
}
