package io.ergon.node;

import io.ergon.term.Atom;
import io.ergon.term.TermConvertible;
import io.ergon.term.Tuple;

/**
 * A node connected: what {@link Node#watchNodes(io.ergon.term.Pid, boolean)} subscribers receive, Erlang's
 * {@code {nodeup, Node}}.
 *
 * @param node the node that connected
 */
public record NodeUp(Atom node) implements TermConvertible {
    /** {@code nodeup} */
    public static final Atom TAG = Atom.of("nodeup");

    @Override
    public Object toTerm() {
        return Tuple.of(TAG, node);
    }
}
