package io.ergon.concurrent.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A multi-producer, single-consumer, unbounded linked queue (Vyukov's design with a stub node), unpadded so that
 * an empty queue costs its two reference fields and one 24-byte stub node (with compressed oops). Padding, as
 * JCTools does, would cost 400-1300 bytes per queue, and a process's mailbox is one of these (see DESIGN.md).
 * Subclasses embed it (a process object extends it), so the hot path has no extra object or indirection.
 *
 * <p>Method names say their memory ordering in JCTools' style: {@code lv} load volatile, {@code sv} store volatile,
 * {@code lp}/{@code sp} plain load/store, {@code relaxed} an operation that may miss an item still being linked.
 *
 * <p>Memory ordering. A producer swaps its node into {@code tail} (a full fence, which makes producers agree on an
 * order) and then stores the link {@code prev.next} with a volatile store, which publishes the node's item. The
 * consumer walks {@code head.next} with volatile loads, so it sees the item of every node it reaches. Between a
 * producer's swap and its link store the node is in the queue but not reachable: {@link #relaxedPoll} and
 * {@link #isEmpty} then report nothing. That is safe because both users signal the consumer after {@link #offer}
 * returns, and the link store is volatile (not merely release) precisely so that it is ordered before the
 * producer's following volatile load of the consumer's sleep flag (a process's state, a writer's sleeper): either
 * the consumer sees the item or the producer sees the consumer asleep and wakes it.
 *
 * <p>Threads: {@link #offer} from any thread; everything else on the consumer thread only (or as a racy estimate).
 * The operations are protected: a subclass decides what it exposes, so a process object does not let other code
 * bypass its delivery rules by offering to its mailbox directly.
 *
 * @param <E> the item type
 */
public class MpscQueue<E> {
    private static final class Node<E> {
        private E item;
        private volatile Node<E> next;

        Node(E item) {
            this.item = item;
        }

        Node<E> lvNext() {
            return next;
        }

        void svNext(Node<E> n) {
            next = n;
        }
    }

    private static final VarHandle TAIL = VarHandles.field(MethodHandles.lookup(), MpscQueue.class, "tail",
            Node.class);

    /** Consumer-owned: the last node taken (its item already cleared), or the stub. */
    private Node<E> head;
    /** The last node offered; producers swap it. */
    @SuppressWarnings("unused")
    private volatile Node<E> tail;

    public MpscQueue() {
        Node<E> stub = new Node<>(null);
        head = stub;
        tail = stub;
    }

    /**
     * Appends an item; any thread. Non-final so a subclass can signal its consumer afterwards (calling
     * {@code super.offer} first); the volatile link store orders the item before such a signal's check.
     */
    protected void offer(E item) {
        Node<E> node = new Node<>(item);
        @SuppressWarnings("unchecked")
        Node<E> prev = (Node<E>) TAIL.getAndSet(this, node);
        prev.svNext(node);
    }

    /**
     * Removes and returns the oldest linked item, or null if none is linked (an item whose producer is between
     * its two steps is not seen: see the class comment); consumer thread only.
     */
    protected final E relaxedPoll() {
        Node<E> next = head.lvNext();
        if (next == null) {
            return null;
        }
        E item = next.item;
        next.item = null; // the node becomes the new stub: drop the reference for the GC
        head = next;
        return item;
    }

    /**
     * True if no item is linked: exact on the consumer thread, except that an {@link #offer} still in progress
     * counts as not yet there (unlike JCTools' {@code isEmpty}, which compares head and tail); off the consumer
     * thread a racy estimate.
     */
    protected final boolean isEmpty() {
        return head.lvNext() == null;
    }

    /** Counts the linked items, at most {@code limit}; approximate when called off the consumer thread. */
    protected final int relaxedSize(int limit) {
        int n = 0;
        for (Node<E> q = head.lvNext(); q != null && n < limit; q = q.lvNext()) {
            n++;
        }
        return n;
    }
}
