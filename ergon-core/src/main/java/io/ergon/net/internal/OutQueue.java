package io.ergon.net.internal;

import io.ergon.concurrent.internal.MpscQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The frames waiting for a connection's writer: many producers (any process sending to the peer), one consumer
 * (the writer thread), which parks while the queue is empty. The queue is the one {@link MpscQueue}; this class
 * adds the writer's sleep: a producer links its frame, then wakes the consumer if it announced it was going to
 * sleep.
 */
final class OutQueue extends MpscQueue<OutFrame> {
    private final Consumer<Thread> wakeElsewhere;
    private volatile Thread sleeper;

    /** @param wakeElsewhere unparks the writer without handing it the sender's carrier (the node's scheduler) */
    OutQueue(Consumer<Thread> wakeElsewhere) {
        this.wakeElsewhere = wakeElsewhere;
    }

    /** Queues a frame and wakes the writer if it sleeps; any thread. */
    @Override
    public void offer(OutFrame frame) {
        super.offer(frame);
        Thread s = sleeper;
        if (s != null) {
            // the sender goes on (often with more frames): the writer takes any carrier, not the sender's
            wakeElsewhere.accept(s);
        }
    }

    /** The next frame, or null if none is queued; consumer only. */
    OutFrame poll() {
        return relaxedPoll();
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
        if (isEmpty()) {
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
