package io.ergon.node.internal;

import io.ergon.node.NodeListener;
import io.ergon.node.Reasons;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's counters that no single thread owns (spawns, exits, crashes, supervisor restarts, messages handled outside
 * a worker's turn) and its {@link NodeListener}s. The counts a thread owns are kept where it writes them: a process's
 * messages in {@code ProcessCore.handled}, a worker's in {@link Worker} (see {@link Turns}), a connection's in the
 * distribution layer; {@code NodeCore.stats} adds them up.
 *
 * <p><b>Cost.</b> Spawns, exits and restarts bump a {@link LongAdder} each (no lock; striped under contention). The
 * listeners are an array replaced on change (copy on write), read with one volatile load where an event happens.
 * Calls read {@link #timeCalls} (volatile) and time themselves only when it is set.
 */
public final class NodeCounters {
    private static final Logger LOG = LoggerFactory.getLogger(NodeListener.class);
    private static final Registered[] NONE = new Registered[0];

    private final LongAdder spawned = new LongAdder();
    private final LongAdder exited = new LongAdder();
    private final LongAdder crashed = new LongAdder();
    private final LongAdder restarts = new LongAdder();
    /** Messages handled outside any worker's turn: in a process's init, and by mailbox handles. */
    private final LongAdder handledOutsideTurns = new LongAdder();
    private final ReentrantLock changeLock = new ReentrantLock();
    private volatile Registered[] listeners = NONE;
    /** True while a listener that times calls is registered: then each call reads the clock twice. */
    volatile boolean timeCalls;

    /** A listener and whether it has failed yet (logged once). */
    private static final class Registered {
        final NodeListener listener;
        final boolean timesCalls;
        volatile boolean failed;

        Registered(NodeListener listener) {
            this.listener = listener;
            this.timesCalls = listener.timesCalls();
        }
    }

    // ------------------------------------------------------------------ counts

    void spawned() {
        spawned.increment();
    }

    void handledOutsideTurns(long n) {
        handledOutsideTurns.add(n);
    }

    public long spawnedCount() {
        return spawned.sum();
    }

    public long exitedCount() {
        return exited.sum();
    }

    public long crashedCount() {
        return crashed.sum();
    }

    public long restartCount() {
        return restarts.sum();
    }

    long handledOutsideTurnsCount() {
        return handledOutsideTurns.sum();
    }

    /**
     * A process with a behaviour has exited for good, with {@code reason}; {@code cause} is the exception that
     * ended it, if one did. Counts it, and for an abnormal reason records a JFR {@link CrashEvent} and tells the
     * listeners.
     * The exiting process's thread.
     */
    void exited(ProcessCore p, Class<?> behaviour, Object reason, Throwable cause) {
        exited.increment();
        if (Reasons.isNormal(reason)) {
            return;
        }
        crashed.increment();
        CrashEvent.record(p, behaviour, reason, cause);
        Registered[] ls = listeners;
        if (ls.length == 0) {
            return;
        }
        NodeListener.ProcessCrash crash = new NodeListener.ProcessCrash(p.pid(), p.registeredName,
                behaviour.getName(), reason, cause);
        for (Registered r : ls) {
            try {
                r.listener.processCrashed(crash);
            } catch (RuntimeException | LinkageError e) {
                failed(r, "processCrashed", e);
            }
        }
    }

    /** A supervisor restarted a child: counts it and tells the listeners. The supervisor's thread. */
    public void supervisorRestarted(NodeListener.SupervisorRestart restart) {
        restarts.increment();
        for (Registered r : listeners) {
            try {
                r.listener.supervisorRestarted(restart);
            } catch (RuntimeException | LinkageError e) {
                failed(r, "supervisorRestarted", e);
            }
        }
    }

    /** A timed call ended (only while {@link #timeCalls}). The caller's thread. */
    void callCompleted(Object callee, long nanos, Throwable failure) {
        for (Registered r : listeners) {
            if (!r.timesCalls) {
                continue;
            }
            try {
                r.listener.callCompleted(callee, nanos, failure);
            } catch (RuntimeException | LinkageError e) {
                failed(r, "callCompleted", e);
            }
        }
    }

    private static void failed(Registered r, String method, Throwable e) {
        if (!r.failed) {
            r.failed = true;
            LOG.warn("node listener {} threw from {} (logged once; the listener stays registered)", r.listener, method,
                    e);
        }
    }

    // ------------------------------------------------------------------ listeners

    public void addListener(NodeListener listener) {
        Objects.requireNonNull(listener, "listener");
        changeLock.lock();
        try {
            Registered[] ls = listeners;
            Registered[] next = Arrays.copyOf(ls, ls.length + 1);
            next[ls.length] = new Registered(listener);
            publish(next);
        } finally {
            changeLock.unlock();
        }
    }

    public boolean removeListener(NodeListener listener) {
        changeLock.lock();
        try {
            Registered[] ls = listeners;
            for (int i = 0; i < ls.length; i++) {
                if (ls[i].listener == listener) {
                    Registered[] next = new Registered[ls.length - 1];
                    System.arraycopy(ls, 0, next, 0, i);
                    System.arraycopy(ls, i + 1, next, i, ls.length - i - 1);
                    publish(next);
                    return true;
                }
            }
            return false;
        } finally {
            changeLock.unlock();
        }
    }

    private void publish(Registered[] next) {
        listeners = next;
        boolean any = false;
        for (Registered r : next) {
            any |= r.timesCalls;
        }
        timeCalls = any;
    }
}
