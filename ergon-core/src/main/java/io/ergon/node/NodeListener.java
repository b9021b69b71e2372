package io.ergon.node;

import io.ergon.api.Experimental;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.util.Objects;

/**
 * Events a node pushes to whoever watches it (a metrics binder, an alerting hook), for what a periodic look at
 * {@link Node#stats()} cannot show: which process crashed and why, which child a supervisor restarted, how long each
 * call took. Register with {@link Node#addListener}; every method has an empty default, so a listener overrides only
 * what it wants.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li>Methods are called on the thread where the event happens: the crashing process's own, the supervisor's, the
 *       caller's. They must return quickly and must not block, wait for a process, or call one: they run inside that
 *       process's turn. Record and return (a counter, a timer, a queue another thread drains).</li>
 *   <li>A listener is called from many threads at once (as many as the node has workers, plus plain threads that
 *       call), so it must be thread-safe.</li>
 *   <li>An exception a listener throws is caught and logged (once per listener), and the process goes on as if the
 *       listener were not there; the listener stays registered.</li>
 *   <li>Events that happen while a listener is being added or removed may or may not reach it.</li>
 *   <li>Call timing costs a clock read before and after each call, so it is off unless a listener asks for it:
 *       {@link #timesCalls()} is read once, when the listener is added. While no listener asks, a call pays one read of
 *       a volatile flag and nothing else.</li>
 * </ul>
 */
@Experimental
public interface NodeListener {
    /**
     * A process with a behaviour exited with an abnormal reason (not {@code normal}, {@code shutdown} or
     * {@code {shutdown, _}}): a handler threw, it was killed, it did not trap an exit signal, or its init failed.
     * Called on the exiting process's thread once it is no longer alive, before its links and monitors are signalled
     * (so whoever learns of the exit finds it in {@link Node#stats()}, and its supervisor restarts it after this).
     */
    default void processCrashed(ProcessCrash crash) {
    }

    /**
     * A supervisor of this node restarted a child that exited: one call per restart counted against the supervisor's
     * intensity, as OTP counts them (the siblings a {@code one_for_all} or {@code rest_for_one} restart stops and
     * starts with it are not reported apart; the retry of a restart whose start failed is reported again). Called on
     * the supervisor's thread, before the child starts again.
     */
    default void supervisorRestarted(SupervisorRestart restart) {
    }

    /** Whether this listener wants {@link #callCompleted} for every call; read once, by {@link Node#addListener}. */
    default boolean timesCalls() {
        return false;
    }

    /**
     * A call made from this node ({@code call}, {@code callAs}, from a process, a {@link Mailbox} or the node) ended;
     * only for listeners whose {@link #timesCalls()} is true. Called on the caller's thread, before the call returns
     * or throws.
     *
     * @param callee what was called: a pid, a registered name ({@link Atom}) or a {@link Name}
     * @param nanos how long the call took, from sending the request to the reply (or the failure)
     * @param failure null if a reply came; else the {@link CallTimeoutException} or {@link CallException} the call
     *     throws
     */
    default void callCompleted(Object callee, long nanos, Throwable failure) {
    }

    /**
     * A crash ({@link #processCrashed}).
     *
     * @param pid the process
     * @param registeredName its registered name when it exited, or null
     * @param behaviour its behaviour's class name
     * @param reason the exit reason (a {@link CrashReason} for an exception)
     * @param cause the exception a handler threw, or null for an exit that was not one (a kill, an exit signal)
     */
    record ProcessCrash(Pid pid, Atom registeredName, String behaviour, Object reason, Throwable cause) {
        public ProcessCrash {
            Objects.requireNonNull(pid, "pid");
            Objects.requireNonNull(behaviour, "behaviour");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A restart ({@link #supervisorRestarted}).
     *
     * @param supervisor the supervisor's pid
     * @param supervisorName its registered name, else its pid in Erlang's syntax
     * @param childId the id, in its {@code ChildSpec}, of the child that exited (for a {@code simple_one_for_one}
     *     supervisor, the template's id)
     * @param reason the child's exit reason; for the retry of a restart that failed, the exit reason that began it
     */
    record SupervisorRestart(Pid supervisor, String supervisorName, String childId, Object reason) {
        public SupervisorRestart {
            Objects.requireNonNull(supervisor, "supervisor");
            Objects.requireNonNull(supervisorName, "supervisorName");
            Objects.requireNonNull(childId, "childId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
