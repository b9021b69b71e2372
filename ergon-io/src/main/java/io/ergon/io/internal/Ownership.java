package io.ergon.io.internal;

import io.ergon.api.InternalApi;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.term.Pid;
import java.util.Objects;

/**
 * Who a socket or port belongs to: its owner, to which its messages go, and its {@link PortProcess}, linked to the
 * owner. What every socket and port does with them (a first owner, a hand-over, a message to the owner, the close)
 * is here once. Thread-safe.
 */
@InternalApi
public final class Ownership {
    private final Node node;
    private final Demand demand;
    private volatile Pid owner;
    private volatile Pid port;

    /** The ownership of a resource of {@code node} whose deliveries {@code demand} orders. */
    public Ownership(Node node, Demand demand) {
        this.node = node;
        this.demand = demand;
    }

    /** Gives the resource to its first owner: a port process for {@code resource}, linked to {@code first}. */
    public void start(Pid first, PortProcess.Resource resource) {
        owner = first;
        port = node.spawn(() -> new PortProcess(resource, first));
    }

    /**
     * Hands the resource to {@code newOwner} ({@code controlling_process}): what is delivered from now on goes there,
     * and the link moves. Sent as {@code self}, the current owner, so that the move reaches the port process before
     * the old owner's exit can.
     */
    public void moveTo(ProcessContext self, Pid newOwner) {
        Objects.requireNonNull(newOwner, "newOwner");
        demand.lock();
        try {
            owner = newOwner;
        } finally {
            demand.unlock();
        }
        Pid p = port;
        if (p != null) {
            self.send(p, new PortProcess.NewOwner(newOwner));
        }
    }

    /** Sends {@code message} to the owner, if there is one yet. */
    public void toOwner(Object message) {
        Pid o = owner;
        if (o != null) {
            node.send(o, message);
        }
    }

    /** Tells the port process that the resource closed: it ends with {@code normal}. */
    public void closed() {
        Pid p = port;
        if (p != null) {
            node.send(p, PortProcess.Closed.INSTANCE);
        }
    }

    /** The owner, or null before the first. */
    public Pid owner() {
        return owner;
    }

    /** The port process, or null before the first owner. */
    public Pid port() {
        return port;
    }
}
