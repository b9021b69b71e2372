package io.ergon.node.internal;

import io.ergon.node.Name;
import io.ergon.node.spi.RemoteSignals;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.util.List;

/**
 * The {@link RemoteRouter} of a distributed node: hands each {@link Signal} for another node to the distribution
 * layer as the {@link RemoteSignals} call it stands for. Node-local signals (shutdown, node down, spawn replies)
 * never travel.
 */
final class RemoteSignalRouter implements RemoteRouter {
    private final RemoteSignals remote;

    RemoteSignalRouter(RemoteSignals remote) {
        this.remote = remote;
    }

    @Override
    public void route(NodeCore local, Pid to, Object item) {
        switch (item) {
            case Signal.Link l -> remote.link(l.from, to);
            case Signal.Exit e -> remote.exit(e.from, to, e.reason, e.link);
            case Signal.UnlinkId u -> remote.unlink(u.from, to, u.id);
            case Signal.UnlinkAck a -> remote.unlinkAck(a.from, to, a.id);
            case Signal.Monitor m -> remote.monitor(m.from, to, m.ref);
            case Signal.Demonitor d -> remote.demonitor(d.from, to, d.ref);
            case Signal.Down d -> remote.down(to, d.ref, d.item, d.reason);
            // a reply through an alias of a process elsewhere goes from the node itself (see NodeCore.reply)
            case Signal.AliasMessage a -> remote.sendToAlias(local.systemPid(), a.alias, a.message);
            case Signal s -> { } // node-local
            default -> remote.send(to, item);
        }
    }

    @Override
    public void sendToName(NodeCore local, Pid from, Name to, Object message) {
        remote.sendToName(from, to, message);
    }

    @Override
    public void sendToAlias(NodeCore local, Pid from, Ref alias, Object message) {
        remote.sendToAlias(from, alias, message);
    }

    @Override
    public void monitorName(NodeCore local, Pid from, Name target, Ref ref) {
        remote.monitorName(from, target, ref);
    }

    @Override
    public void demonitorName(NodeCore local, Pid from, Name target, Ref ref) {
        remote.demonitorName(from, target, ref);
    }

    @Override
    public void spawnRequest(NodeCore local, Pid from, Atom node, Ref reqId, Atom module, Atom function,
                             List<Object> args, List<Object> options) {
        remote.spawnRequest(from, node, reqId, module, function, args, options);
    }
}
