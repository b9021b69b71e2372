package io.ergon.node;

import io.ergon.term.Atom;
import io.ergon.term.Tuple;

/**
 * Erlang's standard exit reasons and the rules about them.
 *
 * <p>An exit reason is any term. {@link #NORMAL} ends a process quietly and does not kill linked processes;
 * {@link #SHUTDOWN} and {@code {shutdown, Term}} are how supervisors stop children and, like {@code normal}, are
 * not reported as crashes; {@link #KILL} sent with {@code exit/2} cannot be trapped and the victim dies with
 * {@link #KILLED}.
 */
public final class Reasons {
    /** {@code normal}: a process that finished its work. */
    public static final Atom NORMAL = Atom.of("normal");
    /** {@code shutdown}: stopped by its supervisor or the node. */
    public static final Atom SHUTDOWN = Atom.of("shutdown");
    /** {@code kill}: the untrappable reason (when sent with {@code exit/2}). */
    public static final Atom KILL = Atom.of("kill");
    /** {@code killed}: the reason of a process that received {@code kill}. */
    public static final Atom KILLED = Atom.of("killed");
    /** {@code noproc}: the target process does not exist. */
    public static final Atom NOPROC = Atom.of("noproc");
    /** {@code noconnection}: the target's node went away. */
    public static final Atom NOCONNECTION = Atom.of("noconnection");
    /** {@code timeout}. */
    public static final Atom TIMEOUT = Atom.of("timeout");

    private Reasons() {
    }

    /** {@code {shutdown, Detail}}: a shutdown that carries a detail, still not a crash. */
    public static Tuple shutdown(Object detail) {
        return Tuple.of(SHUTDOWN, detail);
    }

    /**
     * True for the reasons that are not crashes: {@code normal}, {@code shutdown} and {@code {shutdown, _}}
     * (the reasons after which a transient child is not restarted and no crash report is logged).
     */
    public static boolean isNormal(Object reason) {
        return reason == NORMAL || reason == SHUTDOWN
                || (reason instanceof Tuple t && t.size() == 2 && t.get(0) == SHUTDOWN);
    }

    /** The exit reason a throwable stands for: its own for an {@link ExitException}, else a {@link CrashReason}. */
    public static Object of(Throwable t) {
        return t instanceof ExitException e ? e.reason() : new CrashReason(t);
    }
}
