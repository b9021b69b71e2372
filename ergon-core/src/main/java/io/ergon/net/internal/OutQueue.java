package io.ergon.net.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The frames waiting for a connection's writer: many producers (any process sending to the peer), one consumer
 * (the writer thread), which parks while the queue is empty. Same linked design as a process mailbox: a producer
 * swaps the tail, links the old one, then wakes the consumer if it announced it was going to sleep.
 */
final class OutQueue {
    private static final class Node {
        OutFrame item;
        volatile Node next;

        Node(OutFrame item) {
            this.item = item;
        }
    }

    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(OutQueue.class, "tail", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Node head;
    @SuppressWarnings("unused")
    private volatile Node tail;
    private volatile Thread sleeper;

    OutQueue() {
        Node stub = new Node(null);
        head = stub;
        tail = stub;
    }

    void offer(OutFrame frame) {
        Node n = new Node(frame);
        Node prev = (Node) TAIL.getAndSet(this, n);
        prev.next = n;
        Thread s = sleeper;
        if (s != null) {
            // the sender goes on (often with more frames): the writer takes any carrier, not the sender's
            io.ergon.node.internal.Scheduler.unparkElsewhere(s);
        }
    }

    /** The next frame, or null if none is queued; consumer only. */
    OutFrame poll() {
        Node next = head.next;
        if (next == null) {
            return null;
        }
        OutFrame f = next.item;
        next.item = null;
        head = next;
        return f;
    }

    /**
     * Parks the consumer until a frame is queued or {@link #wake()} is called; consumer only. Untimed: a virtual
     * thread's timed park costs a JDK timer insert and removal (and at times a timer thread's wake-up) each time
     * the writer goes idle, once or twice per call across nodes, and the ticks it would wait for are queued as
     * frames by the node's ticker anyway. No wake-up is lost: the sleeper is published before the queue is
     * looked at, and {@link #offer} links the frame before it reads the sleeper (both volatile).
     */
    void await() {
        sleeper = Thread.currentThread();
        if (head.next == null) {
            LockSupport.park(this);
        }
        sleeper = null;
    }

    /** Wakes the consumer (to notice a close). */
    void wake() {
        Thread s = sleeper;
        if (s != null) {
            LockSupport.unpark(s);
        }
    }
}
