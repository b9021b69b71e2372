package io.ergon.node.internal;

import io.ergon.node.Actor;
import io.ergon.node.Node;
import io.ergon.node.spi.LocalNode;
import io.ergon.node.spi.NodeThreads;
import io.ergon.node.spi.RemoteSignals;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A node's runtime as its distribution layer sees it ({@link LocalNode}): each incoming signal becomes the
 * {@link Signal} it stands for, routed as a local one is, so the distribution layer needs none of this package.
 */
public final class LocalNodeAdapter implements LocalNode {
    private final NodeCore core;
    private final NodeThreads threads;

    public LocalNodeAdapter(NodeCore core) {
        this.core = core;
        this.threads = new SchedulerThreads(core);
    }

    @Override
    public Node facade() {
        return core.facade();
    }

    @Override
    public Atom name() {
        return core.name();
    }

    @Override
    public int creation() {
        return core.creation();
    }

    @Override
    public Pid systemPid() {
        return core.systemPid();
    }

    @Override
    public boolean isLocal(Pid pid) {
        return core.isLocal(pid);
    }

    @Override
    public void routeRemoteThrough(RemoteSignals remote) {
        core.setRouter(new RemoteSignalRouter(remote));
    }

    @Override
    public Pid whereis(Atom name) {
        ProcessCore p = core.whereis(name);
        return p == null ? null : p.pid();
    }

    @Override
    public void send(Pid to, Object message) {
        core.route(to, message);
    }

    @Override
    public void sendToName(Pid from, Atom name, Object message) {
        core.sendQuietly(from, name, message);
    }

    @Override
    public void sendToAlias(Ref alias, Object message) {
        core.sendToAlias(alias, message);
    }

    @Override
    public void link(Pid from, Pid to) {
        core.route(to, new Signal.Link(from));
    }

    @Override
    public void exit(Pid from, Pid to, Object reason, boolean viaLink) {
        core.route(to, new Signal.Exit(from, reason, viaLink));
    }

    @Override
    public void unlink(Pid from, Pid to, long id) {
        core.route(to, new Signal.UnlinkId(from, id));
    }

    @Override
    public void unlinkAck(Pid from, Pid to, long id) {
        core.route(to, new Signal.UnlinkAck(from, id));
    }

    @Override
    public void monitor(Pid from, Pid target, Ref ref, Atom byName) {
        core.route(target, new Signal.Monitor(from, ref, byName));
    }

    @Override
    public void demonitor(Pid from, Pid target, Ref ref) {
        core.route(target, new Signal.Demonitor(from, ref));
    }

    @Override
    public void down(Pid to, Ref ref, Object monitored, Object reason) {
        core.route(to, new Signal.Down(ref, monitored, reason));
    }

    @Override
    public void spawnReply(Pid to, Ref reqId, int flags, Object result) {
        core.route(to, new Signal.SpawnReply(reqId, flags, result));
    }

    @Override
    public void nodeDown(Pid to, Atom peer) {
        core.route(to, new Signal.NodeDown(peer));
    }

    @Override
    public Pid spawnFor(Supplier<? extends Actor> factory, Pid requester, boolean link, Ref monitor,
                        Consumer<Pid> beforeInit) {
        return core.spawnFor(factory, requester, link, monitor, beforeInit);
    }

    @Override
    public NodeThreads threads() {
        return threads;
    }
}
