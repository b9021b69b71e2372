package io.ergon.node.internal;

import io.ergon.node.NodeClock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The deadlines of receives that wait with a timeout, kept on a hashed wheel of one-millisecond slots that the
 * scheduler's monitor turns; it unparks a waiter whose deadline has passed.
 *
 * <p>Why not {@code LockSupport.parkNanos}. A virtual thread's timed park puts a task on one of the JDK's timer
 * threads and takes it off again when the thread is unparked first. A call waits with a timeout (5 s by default)
 * and is almost always answered long before it, so each call paid for a timer insert and removal, and for the
 * timer thread's wake-up when the new deadline became its earliest (a call benchmark ran at half speed for it).
 *
 * <p>How it stays cheap. A process has at most one entry on the wheel that counts, the one due at its
 * {@code wheelDue}. A wait whose deadline is no earlier than that adds nothing: it only writes its own deadline.
 * When the entry falls due, the monitor looks at the process's wait as it is then: past its deadline, the waiter is
 * unparked; still waiting with a later deadline, the entry goes back on the wheel for it; not waiting, it is dropped.
 * So a process that calls a million times with a 5 s timeout puts an entry on the wheel about once in 5 s, and an
 * entry that a newer, earlier one replaced is dropped when its slot comes round.
 *
 * <p>Precision: a wait ends at the first monitor tick at or after its deadline: within about a millisecond on a
 * machine with a core to spare, as with Erlang's {@code receive ... after}.
 *
 * <p>Time. A wheel runs by one {@link NodeClock}: the node's for its processes, real time for its mailboxes' threads
 * (see {@link Scheduler#timeoutsFor}). A manual clock's jump expires the wheel from the thread that moved it, so
 * {@link #expire} takes a lock; the monitor's tick takes it too, uncontended but for such a jump.
 */
final class ReceiveTimeouts {
    static final long SLOT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** No deadline: a process not in a timed wait, or without an entry on the wheel. */
    static final long NONE = Long.MAX_VALUE;
    /** Slots on the wheel: a deadline further away than this waits for its slot to come round again. */
    private static final int SLOTS = 1024;
    private static final int MASK = SLOTS - 1;

    /** One entry: {@code owner}'s, due at slot tick {@code due}. */
    private static final class Entry {
        final ProcessCore owner;
        final long due;
        Entry next;

        Entry(ProcessCore owner, long due) {
            this.owner = owner;
            this.due = due;
        }
    }

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);
    private final NodeClock clock;
    private final long origin;
    /** The last slot tick expired (under this wheel's lock). */
    private long expired;

    ReceiveTimeouts(NodeClock clock) {
        this.clock = clock;
        this.origin = clock.nanoTime();
        this.expired = tickAt(origin);
    }

    /** Now by this wheel's clock, in nanoseconds: what a deadline on it is counted from. */
    long nanoTime() {
        return clock.nanoTime();
    }

    /** The slot tick of now. */
    long nowTick() {
        return tickAt(clock.nanoTime());
    }

    /** The slot tick that a deadline (in {@link #nanoTime()} terms) falls due at: rounded up. */
    long dueTick(long deadlineNanos) {
        long sinceOrigin = deadlineNanos - origin;
        return sinceOrigin <= 0 ? 0 : (sinceOrigin + SLOT_NANOS - 1) / SLOT_NANOS;
    }

    long tickAt(long nanos) {
        return (nanos - origin) / SLOT_NANOS;
    }

    /**
     * Called by {@code owner}, which has just written {@code due} as its timed wait's deadline: makes sure an entry
     * falls due at or before it.
     */
    void waitUntil(ProcessCore owner, long due) {
        long onWheel;
        do {
            onWheel = owner.wheelDue;
            if (onWheel <= due) {
                return; // that entry looks at the wait again when it falls due
            }
        } while (!owner.casWheelDue(onWheel, due));
        push(new Entry(owner, due));
    }

    private void push(Entry e) {
        int i = (int) (e.due & MASK);
        Entry head;
        do {
            head = slots.get(i);
            e.next = head;
        } while (!slots.compareAndSet(i, head, e));
    }

    /** Unparks the waiters due by {@code now} (a slot tick). */
    synchronized void expire(long now) {
        if (now <= expired) {
            return; // a manual clock's jump has expired it already
        }
        long from = expired + 1;
        if (now - from >= SLOTS) {
            from = now - SLOTS + 1; // every slot is visited once below
        }
        for (long t = from; t <= now; t++) {
            int i = (int) (t & MASK);
            if (slots.get(i) == null) {
                continue;
            }
            Entry e = slots.getAndSet(i, null);
            while (e != null) {
                Entry next = e.next;
                if (e.due > now) {
                    push(e); // a later round of the wheel
                } else {
                    fire(e, now);
                }
                e = next;
            }
        }
        expired = now;
    }

    private void fire(Entry e, long now) {
        ProcessCore p = e.owner;
        if (!p.casWheelDue(e.due, NONE)) {
            return; // a newer entry of the process's counts instead
        }
        long waitDue = p.timedWaitDue;
        if (waitDue == NONE) {
            return;
        }
        if (waitDue <= now) {
            p.waitDue();
        } else {
            waitUntil(p, waitDue);
        }
    }

    /** The first slot tick after {@code now} and up to {@code limit} that holds an entry, or -1; the monitor only. */
    long nextBusySlot(long now, long limit) {
        for (long t = now + 1; t <= limit && t - now <= SLOTS; t++) {
            if (slots.get((int) (t & MASK)) != null) {
                return t;
            }
        }
        return -1;
    }
}
