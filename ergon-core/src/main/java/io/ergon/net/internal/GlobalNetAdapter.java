package io.ergon.net.internal;

import io.ergon.net.internal.global.GlobalNet;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.util.List;

/** The distribution as {@code global} sees it ({@link GlobalNet}). */
final class GlobalNetAdapter implements GlobalNet {
    private final Distribution dist;

    GlobalNetAdapter(Distribution dist) {
        this.dist = dist;
    }

    @Override
    public Atom name() {
        return dist.name();
    }

    @Override
    public int creation() {
        return dist.creation();
    }

    @Override
    public List<Atom> visibleNodes() {
        return dist.visibleNodes();
    }

    @Override
    public boolean isConnected(Atom node) {
        Connection c = dist.connections().get(node);
        return c != null && c.state() == Connection.State.UP;
    }

    @Override
    public void watchVisible(Pid watcher, boolean on) {
        dist.watchVisible(watcher, on);
    }

    @Override
    public boolean connect(Atom node) {
        return dist.connect(node);
    }

    @Override
    public void disconnect(Atom node) {
        dist.disconnect(node);
    }

    @Override
    public void monitorNode(Pid watcher, Atom node) {
        dist.monitorNode(watcher, node);
    }

    @Override
    public void demonitorNode(Pid watcher, Atom node) {
        dist.demonitorNode(watcher, node);
    }
}
