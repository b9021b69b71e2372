package io.ergon.node.internal;

import io.ergon.concurrent.internal.MpscQueue;

/**
 * A process's mailbox queue: the one {@link MpscQueue}, embedded in the process object (which extends this class)
 * so an idle process costs one small stub node, under the names the process code uses.
 *
 * <p>A consumer can briefly see an empty queue while a producer is between swapping the tail and linking its node;
 * that is safe because a producer always checks the process state after {@link #push} (see
 * {@link ProcessCore#deliver}), and the queue's volatile link store orders the item before that check.
 */
abstract class MessageQueue extends MpscQueue<Object> {
    /** Appends an item; any thread. */
    final void push(Object item) {
        offer(item);
    }

    /** Removes the oldest item, or returns null if none is visible; consumer thread only. */
    final Object poll() {
        return relaxedPoll();
    }

    /** True if an item is visible to the consumer; consumer thread only (or a racy estimate elsewhere). */
    final boolean hasQueued() {
        return !isEmpty();
    }

    /** Counts the queued items, at most {@code limit}; approximate when called off the consumer thread. */
    final int queuedCount(int limit) {
        return relaxedSize(limit);
    }
}
