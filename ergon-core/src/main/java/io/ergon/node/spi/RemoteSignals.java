package io.ergon.node.spi;

import io.ergon.node.Name;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.util.List;

/**
 * What a node's processes send to other nodes, handed to the distribution layer
 * ({@link LocalNode#routeRemoteThrough}): each method is one of Erlang's signals, addressed to a process elsewhere.
 * Sending never blocks the caller for long (a sender may wait while a connection is busy, as Erlang suspends it on
 * a busy distribution port) and never fails for an unreachable node: a message is then dropped, and a link or
 * monitor is answered locally with {@code noconnection}.
 *
 * @throws IllegalArgumentException (from the message methods) if a message has no term mapping
 */
public interface RemoteSignals {
    /** A message to a pid of another node (Erlang's SEND carries no sender). */
    void send(Pid to, Object message);

    void sendToName(Pid from, Name to, Object message);

    /** A message to an alias of a process elsewhere; {@code from} may be the node's system pid. */
    void sendToAlias(Pid from, Ref alias, Object message);

    void link(Pid from, Pid to);

    void exit(Pid from, Pid to, Object reason, boolean viaLink);

    void unlink(Pid from, Pid to, long id);

    void unlinkAck(Pid from, Pid to, long id);

    void monitor(Pid from, Pid to, Ref ref);

    void monitorName(Pid from, Name target, Ref ref);

    void demonitor(Pid from, Pid to, Ref ref);

    void demonitorName(Pid from, Name target, Ref ref);

    /** A local process {@code to}'s monitor fired: {@code monitored} is its pid or its {@link Name}. */
    void down(Pid to, Ref ref, Object monitored, Object reason);

    /**
     * Asks {@code node} to spawn {@code module:function(args)} for {@code from}; the answer comes back as
     * {@link LocalNode#spawnReply} with {@code reqId}.
     */
    void spawnRequest(Pid from, Atom node, Ref reqId, Atom module, Atom function, List<Object> args,
                      List<Object> options);
}
