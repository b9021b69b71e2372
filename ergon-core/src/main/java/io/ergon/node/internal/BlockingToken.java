package io.ergon.node.internal;

/**
 * What {@link Scheduler#blockingBegin()} hands back and {@link Scheduler#blockingEnd(BlockingToken)} takes: the
 * worker that stopped counting against the pool while its thread blocks inside Ergon, or null on a thread that is
 * not a worker (then there is nothing to make up for). Opaque to callers; it only pairs the two calls.
 *
 * <p>Threading: used only by the thread that blocked, between the two calls.
 */
public sealed interface BlockingToken permits Worker {
}
