package io.ergon.node.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A message that came off a distribution connection, as it waits in a local process's mailbox: the message and what
 * holding it costs (its frame's encoded size plus {@link #OVERHEAD}), charged to its connection's {@link Ledger} by
 * the reader that decoded it. The distribution layer hands it to {@link LocalNode#send}, {@link LocalNode#sendToName}
 * or {@link LocalNode#sendToAlias} in place of the message; the receiving process sees only the message.
 *
 * <p>The node releases the cost exactly once, whatever becomes of the message: when the process takes it (its
 * handler gets it, or a receive returns it), or when it is dropped (no such process or name, an alias no longer
 * held, the process exits with it still queued or saved, a receive's predicate throws on it). A message that a
 * selective receive passes over stays charged while it waits in the process's save queue: it still holds memory.
 * Releasing twice is harmless (the second does nothing), so the paths that may race at a process's exit need no
 * care of their own.
 */
public final class InboundMessage {
    /**
     * What a message costs beyond its encoded bytes: the envelope, the queue node and the decoded terms' headers, as
     * a round figure. It also keeps a flood of tiny messages from being counted as almost free.
     */
    public static final int OVERHEAD = 64;

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(InboundMessage.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Where a message's cost was charged, and is given back. */
    @FunctionalInterface
    public interface Ledger {
        /** Gives back {@code cost} bytes charged for one message; any thread, never blocks. */
        void release(long cost);
    }

    private final Object message;
    private final long cost;
    private final Ledger ledger;
    private volatile boolean released;

    /** Wraps {@code message}, whose cost has already been charged to {@code ledger}. */
    public InboundMessage(Object message, long cost, Ledger ledger) {
        this.message = message;
        this.cost = cost;
        this.ledger = ledger;
    }

    /** The message, without releasing its cost (to match it in a selective receive). */
    public Object peek() {
        return message;
    }

    /** Releases the cost and returns the message: the receiving process takes it. */
    public Object take() {
        release();
        return message;
    }

    /** Releases the cost of a message that will never be received. */
    public void drop() {
        release();
    }

    /** The bytes it was charged. */
    public long cost() {
        return cost;
    }

    /** Whether its cost has been released. */
    public boolean isReleased() {
        return released;
    }

    private void release() {
        if (!released && RELEASED.compareAndSet(this, false, true)) {
            ledger.release(cost);
        }
    }

    /** {@code item}'s message if it is an {@code InboundMessage}, else {@code item} itself. */
    public static Object peek(Object item) {
        return item instanceof InboundMessage in ? in.message : item;
    }

    @Override
    public String toString() {
        return "InboundMessage[" + cost + " bytes" + (released ? ", released" : "") + "]";
    }
}
