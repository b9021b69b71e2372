package io.ergon.node;

import io.ergon.term.Atom;
import io.ergon.term.Ref;
import io.ergon.term.TermConvertible;
import io.ergon.term.Tuple;

/**
 * The message a monitor delivers when its target goes away: Erlang's
 * {@code {'DOWN', Ref, process, Item, Reason}}.
 *
 * @param ref the monitor's reference, as returned by {@code monitor}
 * @param item the monitored process: its {@link io.ergon.term.Pid}, or the {@link Name} it was monitored by
 * @param reason the exit reason ({@code noproc} if it did not exist, {@code noconnection} if its node went away)
 */
public record Down(Ref ref, Object item, Object reason) implements TermConvertible {
    /** {@code 'DOWN'} */
    public static final Atom TAG = Atom.of("DOWN");
    /** {@code process} */
    public static final Atom PROCESS = Atom.of("process");

    @Override
    public Object toTerm() {
        return Tuple.of(TAG, ref, PROCESS, item, reason);
    }
}
