package io.ergon.node.internal;

/**
 * A process's turn on a worker: from when the worker starts its activation, or resumes it after a receive suspended
 * it, until the activation ends or suspends again. Two things are counted per turn, on the worker's own fields and
 * never per message:
 * <ul>
 *   <li>the messages the process handled in it ({@code ProcessCore.handled} after, less before), added to the
 *       worker's count, which {@code NodeStats.messagesHandled} sums over the workers: a plain write of the worker's
 *       own field, where a shared counter bumped per message would have cost every message a contended atomic;</li>
 *   <li>its duration, for the JFR event {@link ActivationEvent}, only while a recording asks for it.</li>
 * </ul>
 *
 * <p>Where a turn begins and ends: {@link Scheduler#runTasks} begins one for each fresh activation and ends it when
 * the activation returns; {@link TaskLoops} ends it when the activation suspends instead (the task loop's frame that
 * began it is then suspended with it, and skips its end when it resumes), and wraps each resumption in a turn of its
 * own. A caller-runs activation nested in another's turn ({@link Scheduler#runHere}) counts its messages on its own
 * and times within the outer turn. Worker's thread only.
 */
final class Turns {
    private Turns() {
    }

    /** Begins {@code p}'s turn on {@code w} (p null: a task that is not a process). */
    static void begin(Worker w, ProcessCore p) {
        w.turnProcess = p;
        w.turnBase = p == null ? 0 : p.handled;
        w.turnEvent = ActivationEvent.begin(p);
    }

    /** Ends the turn under way on {@code w}, if any: its messages go to the worker's count, its event to JFR. */
    static void end(Worker w) {
        ProcessCore p = w.turnProcess;
        if (p != null) {
            w.turnProcess = null;
            w.addHandled(p.handled - w.turnBase);
        }
        ActivationEvent e = w.turnEvent;
        if (e != null) {
            w.turnEvent = null;
            ActivationEvent.end(e);
        }
    }
}
