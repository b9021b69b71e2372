package io.ergon.node.internal;

import io.ergon.concurrent.internal.VarHandles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One of a {@link Scheduler}'s worker virtual threads and its state: its next slot, its place on the idle or spare
 * list, its stuck and blocked marks, and the task loops suspended on it. Fields other than {@code thread} are written
 * by the worker only, unless their comment says otherwise.
 */
final class Worker extends Carriers.Mounted implements BlockingToken {
    final Scheduler scheduler;
    Thread thread;
    /** The monitor's tick when the current activation began, 0 between activations (plain: read racily). */
    long activationTick;
    volatile boolean stuck;
    volatile boolean blocked;
    /**
     * The process to run when the current activation ends, or null. The worker puts and takes it; the monitor and
     * the worker itself (when it blocks) move it to the run queue. Every change is an atomic swap, so each
     * process put here is taken exactly once.
     */
    private volatile Runnable next;
    /** Whether a receive that blocks may spin first: nothing else waited to run (worker only). */
    boolean maySpin;
    /** On the spare list: written under the scheduler's idle lock, read by the parked worker. */
    volatile boolean spare;
    /** On the idle list: written under the scheduler's idle lock, read by the parked worker. */
    volatile boolean idle;
    /** Activations taken from {@code next} in a row (worker only). */
    int slotRuns;
    /** Activations nested in the current one by {@link Scheduler#runHere} (worker only). */
    int nested;
    /** Callees' activations nested in the current one by {@link Scheduler#runCallee} (worker only). */
    int calleeDepth;
    /** The tick at which its current slice began: the activation's start, or its last yield (worker only). */
    long sliceTick;
    /** The task loop's continuation while the worker runs one, or null (worker only; see {@link Continuations}). */
    Object cont;
    /** The process whose receive is suspending {@link #cont}, set just before it suspends (worker only). */
    ProcessCore suspending;
    /**
     * Task loops suspended on this worker whose process a delivery has made runnable again: only this worker
     * may resume them (see {@link TaskLoops#resumeAtHome}). Any thread offers; the worker polls.
     */
    final ConcurrentLinkedQueue<TaskLoops.TaskLoop> resumable = new ConcurrentLinkedQueue<>();
    /** Task loops suspended on this worker and not yet resumed: it does not end while it has any (worker only). */
    int homed;
    /** The process whose turn this worker runs now, or null (see {@link Turns}; worker only). */
    ProcessCore turnProcess;
    /** That process's count of messages handled when its turn began (worker only). */
    long turnBase;
    /** The turn's JFR event, while a recording asks for {@link ActivationEvent}s; else null (worker only). */
    ActivationEvent turnEvent;
    /**
     * Messages handled in this worker's turns, summed by {@link WorkerPool#messagesHandled()}: written by the worker
     * alone, with an opaque store (a plain store on x86 and ARM, no fence), read racily by whoever takes a snapshot.
     */
    private long handled;

    private static final VarHandle NEXT =
            VarHandles.field(MethodHandles.lookup(), Worker.class, "next", Runnable.class);
    private static final VarHandle HANDLED =
            VarHandles.field(MethodHandles.lookup(), Worker.class, "handled", long.class);

    Worker(Scheduler scheduler) {
        super(scheduler.carriers);
        this.scheduler = scheduler;
    }

    /** Whether the next slot looks empty (a plain volatile read, for a quick check before a swap). */
    boolean nextIsEmpty() {
        return next == null;
    }

    /** Puts {@code r} (or null, to empty it) in the next slot; returns what was there. */
    Runnable swapNext(Runnable r) {
        return (Runnable) NEXT.getAndSet(this, r);
    }

    /** Empties the next slot if it holds {@code r}; true if it did. */
    boolean takeNext(Runnable r) {
        return NEXT.compareAndSet(this, r, null);
    }

    /** Adds {@code n} to the messages handled in this worker's turns; the worker only (the single writer). */
    void addHandled(long n) {
        if (n != 0) {
            HANDLED.setOpaque(this, handled + n);
        }
    }

    /** The messages handled in this worker's turns so far; any thread. */
    long handled() {
        return (long) HANDLED.getOpaque(this);
    }

    /** What the next slot holds now (the monitor's racy look). */
    Runnable peekNext() {
        return next;
    }
}

