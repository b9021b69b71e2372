package io.ergon.node.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A multi-producer, single-consumer unbounded linked queue (Vyukov's intrusive design with a stub node), kept
 * unpadded and embedded in the process object so an idle process costs one small stub node.
 *
 * <p>Producers swap themselves into {@code tail} and then link the previous node; the consumer follows
 * {@code head.next}. A consumer can briefly see an empty queue while a producer sits between those two steps; that
 * is safe because a producer always checks the process state after linking (see {@link ProcessCore#deliver}).
 */
abstract class MessageQueue {
    static final class QNode {
        Object item;
        volatile QNode next;

        QNode(Object item) {
            this.item = item;
        }
    }

    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(MessageQueue.class, "tail", QNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Consumer-owned. */
    private QNode head;
    @SuppressWarnings("unused")
    private volatile QNode tail;

    MessageQueue() {
        QNode stub = new QNode(null);
        head = stub;
        tail = stub;
    }

    /** Appends an item; any thread. The volatile link store orders it before the caller's state check. */
    final void push(Object item) {
        QNode node = new QNode(item);
        QNode prev = (QNode) TAIL.getAndSet(this, node);
        prev.next = node;
    }

    /** Removes the oldest item, or returns null if none is visible; consumer thread only. */
    final Object poll() {
        QNode next = head.next;
        if (next == null) {
            return null;
        }
        Object item = next.item;
        next.item = null;
        head = next;
        return item;
    }

    /** True if an item is visible to the consumer; consumer thread only (or a racy estimate elsewhere). */
    final boolean hasQueued() {
        return head.next != null;
    }

    /** Counts the queued items, at most {@code limit}; approximate when called off the consumer thread. */
    final int queuedCount(int limit) {
        int n = 0;
        for (QNode q = head.next; q != null && n < limit; q = q.next) {
            n++;
        }
        return n;
    }
}
