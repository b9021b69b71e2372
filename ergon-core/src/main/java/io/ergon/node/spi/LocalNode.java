package io.ergon.node.spi;

import io.ergon.node.Actor;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the distribution layer may do to its node: the one entry point into the node's runtime it gets
 * ({@link NodeDistribution#attach}). Incoming control messages become the deliveries below; each goes to a process
 * of this node and keeps Erlang's rules, so a signal to a process that does not exist is answered as OTP answers
 * it (a link with an exit {@code noproc}, a monitor with a {@code DOWN ... noproc}). All methods are thread-safe
 * and never block.
 */
public interface LocalNode {
    /** The node's public face (to spawn the processes peers expect, and for {@code io.ergon.net.Rpc}). */
    Node facade();

    Atom name();

    int creation();

    /** The pid that stands for the node itself in signals sent from outside any process. */
    Pid systemPid();

    /** True if {@code pid} names a process of this node (of any incarnation). */
    boolean isLocal(Pid pid);

    /** From now on, what local processes send to other nodes goes to {@code remote}. */
    void routeRemoteThrough(RemoteSignals remote);

    /** The pid registered as {@code name}, or null. */
    Pid whereis(Atom name);

    /** Delivers a message to a local pid (dropped if it is not alive). */
    void send(Pid to, Object message);

    /** Delivers a message to a locally registered name (dropped if nobody has it). */
    void sendToName(Pid from, Atom name, Object message);

    /** Delivers a message to a local alias (dropped if no process has it any more). */
    void sendToAlias(Ref alias, Object message);

    /** {@code from} links to local {@code to}. */
    void link(Pid from, Pid to);

    /** An exit signal from {@code from} to local {@code to}: through a link ({@code viaLink}) or {@code exit/2}. */
    void exit(Pid from, Pid to, Object reason, boolean viaLink);

    /** {@code from} unlinks from local {@code to} (OTP 26 link protocol, acknowledged with {@code id}). */
    void unlink(Pid from, Pid to, long id);

    /** {@code from} acknowledges the unlink {@code id} of local {@code to}. */
    void unlinkAck(Pid from, Pid to, long id);

    /** {@code from} monitors local {@code target}; {@code byName} is the name it used, or null. */
    void monitor(Pid from, Pid target, Ref ref, Atom byName);

    /** {@code from} stops monitoring local {@code target}. */
    void demonitor(Pid from, Pid target, Ref ref);

    /** A process {@code to} monitored went away: {@code monitored} is its pid or its {@link io.ergon.node.Name}. */
    void down(Pid to, Ref ref, Object monitored, Object reason);

    /** The answer to local {@code to}'s spawn request {@code reqId} (flags: 1 linked, 2 monitored). */
    void spawnReply(Pid to, Ref reqId, int flags, Object result);

    /** The connection to {@code peer} is gone: local {@code to}'s links and monitors across it fire. */
    void nodeDown(Pid to, Atom peer);

    /**
     * Spawns a process for a requester on another node: links it and/or lets it be monitored before anything runs,
     * gives its pid to {@code beforeInit} (to send the spawn reply first), then runs its init on this thread.
     */
    Pid spawnFor(Supplier<? extends Actor> factory, Pid requester, boolean link, Ref monitor,
                 Consumer<Pid> beforeInit);

    /** The node's threads, for the connections' readers and writers. */
    NodeThreads threads();
}
