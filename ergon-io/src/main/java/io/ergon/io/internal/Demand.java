package io.ergon.io.internal;

import io.ergon.io.Active;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The active mode of one socket or port, and its reader's wait for it. The owner sets the mode ({@link #set});
 * the reader waits until the mode lets it deliver ({@link #awaitActive}) and, while holding {@link #lock()},
 * checks {@link #isActive()}, delivers one message and {@link #consume()}s it, so that a message is never delivered
 * after the owner turned the socket passive. Thread-safe.
 */
public final class Demand {
    private static final int PASSIVE = 0;
    private static final int ONCE = 1;
    private static final int COUNT = 2;
    private static final int ALWAYS = 3;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition activated = lock.newCondition();
    private int mode;
    private int count;
    private boolean closed;

    /** A demand that starts in {@code initial}. */
    public Demand(Active initial) {
        set(initial);
    }

    /**
     * Sets the mode as {@code inet:setopts(S, [{active, A}])} does.
     *
     * @return true if this made the socket passive through a count that ended at zero or below: the owner is due
     *     a passive message
     */
    public boolean set(Active active) {
        lock.lock();
        try {
            switch (active) {
                case Active.Passive p -> mode = PASSIVE;
                case Active.Once o -> mode = ONCE;
                case Active.Always a -> mode = ALWAYS;
                case Active.Times(int n) -> {
                    count = Math.min(Active.MAX_COUNT, mode == COUNT ? count + n : n);
                    if (count <= 0) {
                        count = 0;
                        mode = PASSIVE;
                        return true;
                    }
                    mode = COUNT;
                }
            }
            if (mode != PASSIVE) {
                activated.signalAll();
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the mode is active; false once {@link #close()}d. */
    public boolean awaitActive() throws InterruptedException {
        lock.lock();
        try {
            while (mode == PASSIVE && !closed) {
                activated.await();
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the mode is active and returns holding {@link #lock()} (true), so that the caller delivers before
     * the owner can turn passive; false, without the lock, once {@link #close()}d.
     */
    public boolean lockWhenActive() throws InterruptedException {
        lock.lock();
        while (mode == PASSIVE && !closed) {
            activated.await();
        }
        if (closed) {
            lock.unlock();
            return false;
        }
        return true;
    }

    /** Takes the lock that orders deliveries against {@link #set}. */
    public void lock() {
        lock.lock();
    }

    /** Releases {@link #lock()}. */
    public void unlock() {
        lock.unlock();
    }

    /** Whether a message may be delivered now (read it under {@link #lock()}). */
    public boolean isActive() {
        return mode != PASSIVE && !closed;
    }

    /** {@link #isActive()}, taking the lock. */
    public boolean isActiveNow() {
        lock.lock();
        try {
            return isActive();
        } finally {
            lock.unlock();
        }
    }

    /** Whether nothing may be delivered now ({@code {active, false}}). */
    public boolean isPassive() {
        lock.lock();
        try {
            return mode == PASSIVE;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counts one delivered message (under {@link #lock()}).
     *
     * @return true if that was the last of an {@code {active, N}} count: the owner is due a passive message
     */
    public boolean consume() {
        switch (mode) {
            case ONCE -> mode = PASSIVE;
            case COUNT -> {
                if (--count == 0) {
                    mode = PASSIVE;
                    return true;
                }
            }
            default -> { }
        }
        return false;
    }

    /** Ends every wait: the resource is closed. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            activated.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
