package io.ergon.node.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's task loop run in a JDK continuation ({@link Continuations}), so that a process whose receive has to wait
 * suspends just itself: the loop it ran in stays with the process, and the worker starts a new loop and goes on.
 * The rules, all here:
 * <ul>
 *   <li>a receive may suspend ({@link #maySuspend}) on a worker running a loop in a continuation, not nested in a
 *       caller-runs activation, not inside a blocking section, and not for a high-priority process;</li>
 *   <li>{@link #suspend} notes the process on its worker and yields; the worker then hands the loop to the process
 *       ({@code ProcessCore.suspended}), or runs it on at once if a message came meanwhile;</li>
 *   <li>a delivery that ends the wait sends the process home ({@link #resumeAtHome}): only the worker that
 *       suspended a loop resumes it, nested in its current loop, because compiled code may keep the current
 *       {@code Thread} across the suspension;</li>
 *   <li>a worker with loops suspended on it does not end.</li>
 * </ul>
 */
public final class TaskLoops {
    private static final Logger LOG = LoggerFactory.getLogger(TaskLoops.class);

    private TaskLoops() {
    }

    /**
     * Runs worker {@code w}'s task loop ({@link Scheduler#runTasks}) in a continuation (see {@link Continuations}).
     * An activation that the loop runs directly and that suspends in a receive suspends the loop with it: the process
     * keeps that continuation, and the worker starts a new loop. When the process is resumed, by this worker again (see
     * {@link #resumeAtHome}), nested in its loop of the time, its activation ends and the old loop sees
     * {@code suspended} and ends too.
     */
    static int run(Worker w) {
        TaskLoop loop = new TaskLoop(w);
        Object c = Continuations.create(loop);
        loop.cont = c;
        w.cont = c;
        try {
            Continuations.run(c);
        } catch (Throwable t) {
            LOG.error("a worker's task loop failed", t);
            return Scheduler.IDLE;
        } finally {
            w.cont = null;
        }
        if (Continuations.isDone(c)) {
            return loop.exit;
        }
        loop.suspended = true; // before the process can be resumed: published by its state change
        w.activationTick = 0;
        Turns.end(w); // the suspended activation's turn, begun by the loop's runTasks, which skips its end
        if (!parked(w, loop)) {
            w.cont = c;
            Turns.begin(w, loop.process);
            try {
                resume(w, loop); // a message came while it suspended
            } finally {
                w.cont = null;
                Turns.end(w);
            }
        }
        return Scheduler.SUSPENDED_AWAY;
    }

    /** A worker's task loop as a continuation's body; what a process whose receive suspended it holds. */
    static final class TaskLoop implements Runnable {
        /** The worker that runs it, and the only one that may resume it (its home, see {@link #resumeAtHome}). */
        final Worker worker;
        /** The one process whose activation it runs (see {@link #runCallee}), or null: the worker's task loop. */
        final ProcessCore callee;
        /** The continuation this is the body of. */
        Object cont;
        /** Set once an activation the loop ran suspended it: the loop ends when that activation does. */
        volatile boolean suspended;
        /** The process whose receive suspended it (worker only; for its turns, see {@link Turns}). */
        ProcessCore process;
        int exit;

        TaskLoop(Worker worker) {
            this(worker, null);
        }

        TaskLoop(Worker worker, ProcessCore callee) {
            this.worker = worker;
            this.callee = callee;
        }

        @Override
        public void run() {
            if (callee != null) {
                Scheduler.activate(callee);
            } else {
                exit = worker.scheduler.runTasks(worker, this);
            }
        }
    }

    /**
     * Runs the activation of {@code callee}, which the current activation's call has just taken from worker
     * {@code w}'s slot, nested here in a continuation of its own, until it ends or waits in a receive: then it is
     * suspended as any process, with {@code w} its home, and the caller goes on to wait for its reply. The caller so
     * skips suspending and resuming its own continuation, which is most of what a call costs; its semantics do not
     * change, as the callee was next on {@code w} and a suspended caller resumes only on {@code w} (see
     * {@link Scheduler#runCallee}).
     */
    static void runCallee(Worker w, ProcessCore callee) {
        TaskLoop loop = new TaskLoop(w, callee);
        loop.cont = Continuations.create(loop);
        Object outer = w.cont;
        w.cont = loop.cont;
        w.calleeDepth++;
        long before = callee.handled;
        try {
            resume(w, loop);
        } finally {
            w.calleeDepth--;
            w.cont = outer;
        }
        w.addHandled(callee.handled - before); // its turn is within the caller's; a later resumption has its own
    }

    /**
     * Resumes task loop {@code loop}, which a process's receive suspended on worker {@code w} (the current thread's:
     * its home), nested in the current task loop, until the process's activation ends or it suspends again.
     */
    static void resume(Worker w, TaskLoop loop) {
        while (true) {
            try {
                Continuations.run(loop.cont);
            } catch (Throwable t) {
                LOG.error("an activation failed in the scheduler itself", t);
                return;
            }
            if (Continuations.isDone(loop.cont) || parked(w, loop)) {
                return; // ended, or the delivery that ends its wait sends it home to be resumed
            }
        }
    }

    /**
     * Resumes {@code loop}, which {@link #parked} left waiting on its home {@code w}: the one place where the count of
     * loops suspended on a worker goes down, as {@link #parked} is the one where it goes up.
     */
    static void resumeHomed(Worker w, TaskLoop loop) {
        w.homed--;
        // a turn of its own; nested in a blocked worker's turn (resumeWhileBlocked), that one goes on after
        ProcessCore outer = w.turnProcess;
        long outerBase = w.turnBase;
        ActivationEvent outerEvent = w.turnEvent;
        Turns.begin(w, loop.process);
        try {
            resume(w, loop);
        } finally {
            Turns.end(w);
            w.turnProcess = outer;
            w.turnBase = outerBase;
            w.turnEvent = outerEvent;
        }
    }

    /**
     * After task loop {@code loop} came back unfinished to worker {@code w}: true if the process whose receive
     * suspended it now waits, suspended, for a delivery; false if {@code loop} is to be run on at once, because a
     * message came while it suspended, or because no receive suspended it (which would be a fault of the
     * scheduler's: then nothing else would resume it).
     */
    private static boolean parked(Worker w, TaskLoop loop) {
        ProcessCore waiting = w.suspending;
        w.suspending = null;
        if (waiting == null) {
            unexplainedYield(loop.cont);
            return false;
        }
        loop.process = waiting;
        if (waiting.suspended(loop)) {
            w.homed++;
            return true;
        }
        return false;
    }

    /** Continuations that came back unfinished with no receive having suspended them ({@link #unexplainedYield}). */
    private static final AtomicLong UNEXPLAINED_YIELDS = new AtomicLong();

    /** How many times a continuation came back with no receive having suspended it: 0 unless the scheduler errs. */
    public static long unexplainedYields() {
        return UNEXPLAINED_YIELDS.get();
    }

    /**
     * A continuation came back to its worker unfinished with no receive having suspended it. Only {@link #suspend}
     * yields Ergon's scope, so this is a fault of the scheduler's. It was seen while suspended task loops were
     * resumed by any worker: compiled code keeps {@code Thread.currentThread()} across the yield (C2 treats it as
     * constant across calls, which holds for a virtual thread's own continuation, not for one moved to another
     * thread), so after such a move {@code Scheduler.CURRENT} named the first worker and the note went there. Loops
     * are now resumed only on the worker that suspended them ({@link #resumeAtHome}); this is kept as a guard: the
     * worker runs the loop on, the one way not to lose the process, and the fault is logged at the first occurrence
     * and every 100,000th after.
     */
    private static void unexplainedYield(Object c) {
        long n = UNEXPLAINED_YIELDS.incrementAndGet();
        if (n == 1 || n % 100_000 == 0) {
            LOG.error("a process's continuation returned to worker {} unfinished without a receive suspending it "
                    + "({} times so far); resuming it; its frames: {}", Thread.currentThread().getName(), n,
                    Continuations.frames(c), new IllegalStateException("unexplained yield of " + c));
        }
    }

    /**
     * Sends process {@code p}, whose receive suspended a task loop and which a delivery has just made runnable,
     * to the worker that suspended the loop, to be resumed there and nowhere else: code compiled into the loop's
     * frames may keep the {@code Thread} it ran on across the suspension (see {@link #unexplainedYield}), so on
     * another thread it would use the first one's thread locals, its locks' ownership and its worker. The home
     * runs it after its current activation, or is woken for it if it is parked.
     */
    static void resumeAtHome(ProcessCore p) {
        sendHome((TaskLoop) p.takeSuspended());
    }

    private static void sendHome(TaskLoop loop) {
        Worker home = loop.worker;
        home.resumable.offer(loop);
        if (home == Scheduler.currentWorker()) {
            return; // it takes it after its current activation
        }
        if (home.idle && home.scheduler.pool.removeIdle(home)) {
            LockSupport.unpark(home.thread);
        } else if (home.blocked) {
            LockSupport.unpark(home.thread); // parked in a receive it could not suspend: see parkOrResume
        }
    }

    /**
     * Parks the current thread in a receive that could not suspend (after {@code Scheduler.blockingBegin}), unless it
     * is a worker with task loops of its own to resume: then it resumes them, nested here, and returns without
     * parking (the caller looks at its mailbox again, and comes back). Only this worker can resume its loops, so a
     * worker parked in a supervisor's receive (a high-priority process parks instead of suspending) would otherwise
     * leave them waiting for as long as the supervisor waits, and for ever if it waits for one of them.
     */
    static void parkOrResume(BlockingToken token, Object blocker) {
        if (token instanceof Worker w && !w.resumable.isEmpty()) {
            resumeWhileBlocked(w);
        } else {
            LockSupport.park(blocker);
        }
    }

    /**
     * Resumes the loops waiting in blocked worker {@code w}'s resumable queue, as a worker that is not blocked would:
     * they may suspend again (back to here) or end; what they wake into its slot goes to the run queue after.
     */
    private static void resumeWhileBlocked(Worker w) {
        boolean blocked = w.blocked;
        int nested = w.nested;
        Object cont = w.cont;
        w.blocked = false;
        w.nested = 0;
        try {
            TaskLoop loop;
            while ((loop = w.resumable.poll()) != null) {
                w.cont = loop.cont;
                resumeHomed(w, loop);
            }
        } finally {
            w.blocked = blocked;
            w.nested = nested;
            w.cont = cont;
            w.scheduler.flushSlot(w);
        }
    }

    /**
     * Whether worker {@code w} is the home of the loop that suspended process {@code p}: then a delivery made on
     * {@code w} may put {@code p} in {@code w}'s next slot, as for any process it wakes, which costs less than its
     * resumable queue and keeps a call's reply on the caller's worker at once.
     */
    static boolean isHome(Worker w, ProcessCore p) {
        return p.suspendedLoop() instanceof TaskLoop loop && loop.worker == w;
    }

    /**
     * Resumes process {@code p}, taken by worker {@code w} from its next slot with its loop still suspended: here if
     * {@code w} is its home (the only way it gets there), else it is sent home.
     */
    static void resumeTaken(Worker w, ProcessCore p) {
        TaskLoop loop = (TaskLoop) p.takeSuspended();
        if (loop.worker == w) {
            resumeHomed(w, loop);
        } else {
            sendHome(loop);
        }
    }

    /**
     * Whether a receive on the current thread may suspend its process's continuation instead of parking: the thread
     * is a worker of a scheduler running an activation in a continuation, not nested in another's
     * ({@link Scheduler#runHere}, whose frames belong to this worker), and not inside a blocking section; and the
     * process is not of high priority: a suspended process is resumed only on its worker, which may meanwhile be held
     * by a handler that does not return, and a supervisor must not wait for that (it parks instead, and another
     * worker takes over).
     */
    static boolean maySuspend(ProcessCore p) {
        Worker w = Scheduler.currentWorker();
        return w != null && w.cont != null && w.nested == 0 && !w.blocked && !p.highPriority;
    }

    /**
     * Suspends the current activation's continuation for {@code p}'s receive (after {@link #maySuspend}); returns
     * when it is resumed, true, or at once, false, if the JDK cannot suspend it here.
     */
    static boolean suspend(ProcessCore p) {
        Worker w = Scheduler.currentWorker(); // the same after a resumption: a loop is resumed only on its own worker
        w.suspending = p;
        if (Continuations.suspend()) {
            return true;
        }
        if (w.suspending == p) { // pinned, not suspended: no one else is to see the note
            w.suspending = null;
        }
        return false;
    }
}
