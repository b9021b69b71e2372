package io.ergon.node;

import io.ergon.term.Atom;
import io.ergon.term.TermConvertible;
import io.ergon.term.Tuple;

/**
 * A node went away (or could not be reached): Erlang's {@code {nodedown, Node}}, what node monitors and node
 * watchers receive.
 *
 * @param node the node
 * @param reason why: {@code connection_closed} or {@code net_tick_timeout}
 */
public record NodeDown(Atom node, Object reason) implements TermConvertible {
    /** {@code nodedown} */
    public static final Atom TAG = Atom.of("nodedown");

    @Override
    public Object toTerm() {
        return Tuple.of(TAG, node);
    }
}
