package io.ergon.node.internal;

import io.ergon.node.Reasons;
import io.ergon.node.SpawnException;
import io.ergon.node.Spawned;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Erlang's {@code spawn_request} to another node, as a process does it: the request goes out with a fresh
 * reference, and the process waits selectively for the reply with that reference ({@link Result}), which also sets
 * up the link and monitor it asked for ({@link #onReply}). A connection that fails meanwhile answers
 * {@code noconnection} ({@link #onNodeDown}).
 *
 * <p>An instance is the one request a process waits on (at most one: {@link #spawn} blocks), held by the process
 * only while it waits, so that a process that never spawns remotely pays one null field for all of this.
 * Owner's thread only.
 */
final class RemoteSpawn {
    /** A SPAWN_REPLY flag of the distribution protocol: the link the request asked for is set up. */
    static final int REPLY_LINKED = 1;
    /** A SPAWN_REPLY flag of the distribution protocol: the monitor the request asked for is set up. */
    static final int REPLY_MONITORED = 2;
    private static final Atom LINK = Atom.of("link");
    private static final Atom MONITOR = Atom.of("monitor");

    private final Ref reqId;
    private final Atom onNode;
    /** When the request went ({@link System#nanoTime()}): a node-down sent before it is about an older connection. */
    private final long since = System.nanoTime();

    /** What a process gets back from {@link #spawn}'s request: the reply's result, a pid or an error reason. */
    record Result(Ref reqId, Object result) {
    }

    private RemoteSpawn(Ref reqId, Atom onNode) {
        this.reqId = reqId;
        this.onNode = onNode;
    }

    /**
     * Spawns {@code module:function(args)} on {@code onNode} and waits for its pid. With {@code monitor}, the DOWN
     * message carries the returned reference.
     *
     * @throws SpawnException with the error the other node answered ({@code noconnection}, {@code not_allowed},
     *     {@code badopt}, ...) or {@code timeout}
     */
    static Spawned spawn(ProcessCore requester, Atom onNode, Atom module, Atom function, List<Object> args,
                         boolean link, boolean monitor, Duration timeout) {
        NodeCore node = requester.node();
        Ref reqId = node.newRef();
        List<Object> options = new ArrayList<>();
        if (link) {
            options.add(LINK);
        }
        if (monitor) {
            options.add(MONITOR);
        }
        requester.pendingSpawn = new RemoteSpawn(reqId, onNode);
        Object reply;
        try {
            node.router().spawnRequest(node, requester.pid(), onNode, reqId, module, function, args, options);
            reply = requester.receive(m -> m instanceof Result r && r.reqId().equals(reqId), timeout);
        } finally {
            requester.pendingSpawn = null;
        }
        if (reply == null) {
            throw new SpawnException(Reasons.TIMEOUT, null);
        }
        Object result = ((Result) reply).result();
        if (result instanceof Pid child) {
            return new Spawned(child, monitor ? reqId : null);
        }
        throw new SpawnException(result, null);
    }

    /** The reply arrived at {@code p}: sets up the link and monitor it reports, and becomes the message waited for. */
    static Object onReply(ProcessCore p, Signal.SpawnReply r) {
        if (r.result instanceof Pid child) {
            synchronized (p) {
                if ((r.flags & REPLY_LINKED) != 0) {
                    p.relations().linkActive(child);
                }
                if ((r.flags & REPLY_MONITORED) != 0) {
                    p.relations().addMonitor(r.reqId, Relations.Outgoing.remote(child, child, false));
                }
            }
        }
        return new Result(r.reqId, r.result);
    }

    /** Node {@code lost} went away: the request {@code p} waits on there, if any, is answered {@code noconnection}. */
    static void onNodeDown(ProcessCore p, Atom lost, long sentAt) {
        RemoteSpawn pending = p.pendingSpawn;
        if (pending != null && lost.equals(pending.onNode) && pending.since - sentAt <= 0) {
            SelectiveReceive.save(p, new Result(pending.reqId, Reasons.NOCONNECTION));
            p.pendingSpawn = null; // answered: a second node-down for the same node adds nothing
        }
    }
}
