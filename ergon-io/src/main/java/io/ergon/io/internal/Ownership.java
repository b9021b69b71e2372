package io.ergon.io.internal;

import io.ergon.api.InternalApi;
import io.ergon.io.IoError;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Who a socket or port belongs to: its owner, to which its messages go and whose exit closes it, and its
 * {@link PortProcess}. What every socket and port does with them (a first owner, a hand-over, a message to the
 * owner, the close) is here once. Thread-safe.
 *
 * <p>The owner's exit closes the resource through an exit hook of the node ({@link Node#addExitHook}), run by the
 * runtime as the owner exits, as Erlang's runtime closes a port with its connected process: no process stands
 * between them. The port process, a pid that stands for the resource (to send it commands, to link to it), is
 * started only when first asked for ({@link #port()}); a server's connection that nobody asks for its port never
 * has one.
 */
@InternalApi
public final class Ownership {
    private static final Atom BADARG = Atom.of("badarg");

    private final Node node;
    private final Demand demand;
    private PortProcess.Resource resource;
    private volatile Pid owner;
    /** The hook on the owner's exit, registered with the node; guarded by this. */
    private Consumer<Object> ownerExit;
    /** The port process, once asked for; guarded by this. */
    private Pid port;
    /** Whether the resource closed; guarded by this. */
    private boolean closed;

    /** The ownership of a resource of {@code node} whose deliveries {@code demand} orders. */
    public Ownership(Node node, Demand demand) {
        this.node = node;
        this.demand = demand;
    }

    /**
     * Gives the resource to its first owner: the owner's exit closes it from now on. An owner that is not a live
     * process of this node (it exited already) closes it at once, as a link to it would.
     */
    public void start(Pid first, PortProcess.Resource resource) {
        Consumer<Object> hook = exitOf(first);
        Pid before;
        Consumer<Object> beforeExit;
        synchronized (this) {
            this.resource = resource;
            before = owner;
            beforeExit = ownerExit;
            owner = first;
            ownerExit = hook;
        }
        if (before != null) { // a hand-over before the start (a handler's init): the start decides, as it did
            node.removeExitHook(before, beforeExit);
        }
        if (!node.addExitHook(first, hook)) {
            resource.ownerExited(Reasons.NOPROC);
        }
    }

    /**
     * Hands the resource to {@code newOwner} ({@code controlling_process}): what is delivered from now on goes there,
     * and its exit, not the old owner's, closes the resource. Called as {@code self}, the current owner, so that the
     * port process's link moves before the old owner's exit could reach it.
     *
     * @throws IoError {@code badarg}, the resource staying with its owner, if {@code newOwner} is not a live process
     *     of this node (as {@code erlang:port_connect/2} refuses one)
     */
    public void moveTo(ProcessContext self, Pid newOwner) {
        Objects.requireNonNull(newOwner, "newOwner");
        if (newOwner.equals(owner)) {
            return;
        }
        Consumer<Object> hook = exitOf(newOwner);
        if (!node.addExitHook(newOwner, hook)) {
            throw new IoError(BADARG, newOwner + " is not a live process of this node", null);
        }
        Pid before;
        Consumer<Object> beforeExit;
        Pid p;
        boolean gone;
        synchronized (this) {
            before = owner;
            beforeExit = ownerExit;
            demand.lock();
            try {
                owner = newOwner;
            } finally {
                demand.unlock();
            }
            ownerExit = hook;
            p = port;
            gone = closed;
        }
        if (before != null) {
            node.removeExitHook(before, beforeExit);
        }
        if (gone) {
            node.removeExitHook(newOwner, hook);
        }
        if (p != null) {
            self.send(p, new PortProcess.NewOwner(newOwner));
        }
    }

    /** The hook for {@code who}'s exit: it closes the resource if {@code who} still owns it then. */
    private Consumer<Object> exitOf(Pid who) {
        return reason -> {
            if (who.equals(owner)) {
                resource.ownerExited(reason);
            }
        };
    }

    /** Sends {@code message} to the owner, if there is one yet. */
    public void toOwner(Object message) {
        Pid o = owner;
        if (o != null) {
            node.send(o, message);
        }
    }

    /** The resource closed: the owner's exit no longer concerns it, and its port process (if any) ends normally. */
    public void closed() {
        Pid o;
        Consumer<Object> hook;
        Pid p;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            o = owner;
            hook = ownerExit;
            p = port;
        }
        if (o != null) {
            node.removeExitHook(o, hook);
        }
        if (p != null) {
            node.send(p, PortProcess.Closed.INSTANCE);
        }
    }

    /** The owner, or null before the first. */
    public Pid owner() {
        return owner;
    }

    /**
     * The port process, started on the first call: linked to the owner, it ends with {@code normal} when the
     * resource closes and passes on what is sent to it. Asked for first once the resource has closed, it is the pid
     * of a process that has ended, as a closed port's is. Null before the first owner.
     */
    public synchronized Pid port() {
        if (port == null && owner != null) {
            if (closed) {
                try (Mailbox ended = node.mailbox()) {
                    port = ended.pid();
                }
            } else {
                Pid o = owner;
                PortProcess.Resource r = resource;
                port = node.spawn(() -> new PortProcess(r, o));
            }
        }
        return port;
    }
}
