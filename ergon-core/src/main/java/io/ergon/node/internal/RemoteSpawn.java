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
 * reference, and the process waits selectively for the reply with that reference, which also sets up the link
 * and monitor it asked for (see {@link ProcessCore}'s handling of {@link Signal.SpawnReply}). A connection that fails
 * meanwhile answers {@code noconnection}.
 */
final class RemoteSpawn {
    private static final Atom LINK = Atom.of("link");
    private static final Atom MONITOR = Atom.of("monitor");

    private RemoteSpawn() {
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
        requester.awaitingSpawn(reqId, onNode);
        Object reply;
        try {
            node.router().spawnRequest(node, requester.pid(), onNode, reqId, module, function, args, options);
            reply = requester.receive(m -> m instanceof ProcessCore.SpawnResult r && r.reqId().equals(reqId), timeout);
        } finally {
            requester.awaitingSpawn(null, null);
        }
        if (reply == null) {
            throw new SpawnException(Reasons.TIMEOUT, null);
        }
        Object result = ((ProcessCore.SpawnResult) reply).result();
        if (result instanceof Pid child) {
            return new Spawned(child, monitor ? reqId : null);
        }
        throw new SpawnException(result, null);
    }
}
