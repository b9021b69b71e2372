package io.ergon.node;

import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.TermConvertible;
import io.ergon.term.Tuple;

/**
 * The message a process that traps exits receives instead of dying: Erlang's {@code {'EXIT', From, Reason}}.
 *
 * @param from the process the exit signal came from
 * @param reason its exit reason
 */
public record Exit(Pid from, Object reason) implements TermConvertible {
    /** {@code 'EXIT'} */
    public static final Atom TAG = Atom.of("EXIT");

    @Override
    public Object toTerm() {
        return Tuple.of(TAG, from, reason);
    }
}
