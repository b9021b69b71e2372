package io.ergon.net.internal.global;

import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.util.ArrayList;
import java.util.List;

/**
 * One node's {@code global}, as its Java API sees it: the tables of the running name server (read directly, as
 * OTP's {@code whereis_name} reads its ETS table), and what it needs of the distribution. The name server installs
 * its tables here when it starts; a restarted server starts with empty ones, as OTP's does.
 */
public final class GlobalState {
    private final Node node;
    private final GlobalNet net;
    private volatile GlobalNames names;
    private volatile GlobalLocks locks;

    private GlobalState(Node node, GlobalNet net) {
        this.node = node;
        this.net = net;
        this.names = new GlobalNames(net.name(), node::isAlive);
        this.locks = new GlobalLocks();
    }

    /** Creates the node's state; called once, by the distribution, before the name server starts. */
    public static GlobalState install(Node node, GlobalNet net) {
        return node.extension(GlobalState.class, n -> new GlobalState(n, net));
    }

    /**
     * The node's state.
     *
     * @throws IllegalStateException if the node has no distribution (so no name server)
     */
    public static GlobalState of(Node node) {
        return node.extension(GlobalState.class, n -> {
            throw new IllegalStateException("node " + n.name() + " is not distributed: start it with "
                    + "NodeOptions.defaults().distributed(true)");
        });
    }

    /** Fresh tables for a starting name server. */
    void reset() {
        names = new GlobalNames(net.name(), node::isAlive);
        locks = new GlobalLocks();
    }

    GlobalNames names() {
        return names;
    }

    GlobalLocks locks() {
        return locks;
    }

    public GlobalNet net() {
        return net;
    }

    /** The pid registered as {@code name}, or null. */
    public Pid whereis(Object name) {
        return names.where(name);
    }

    /** The names registered now. */
    public List<Object> registeredNames() {
        return names.registeredNames();
    }

    /** Whether {@code pid} has a global name already. */
    public boolean hasName(Pid pid) {
        return names.hasName(pid);
    }

    /** This node and the nodes it is visibly connected to: the default nodes of a lock. */
    public List<Atom> lockNodes() {
        List<Atom> nodes = new ArrayList<>();
        nodes.add(net.name());
        nodes.addAll(net.visibleNodes());
        return nodes;
    }

    /** {@code global:set_lock/3} for the calling process {@code ctx}. */
    public boolean setLock(ProcessContext ctx, Object id, List<Atom> nodes, long retries) {
        return GlobalCalls.setLock(ctx, id, nodes, retries, locks, net.name());
    }

    /** {@code global:del_lock/2} for the calling process {@code ctx}. */
    public void delLock(ProcessContext ctx, Object id, List<Atom> nodes) {
        GlobalCalls.delLock(ctx, id, nodes);
    }
}
