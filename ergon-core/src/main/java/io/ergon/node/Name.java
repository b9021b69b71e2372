package io.ergon.node;

import io.ergon.term.Atom;
import io.ergon.term.TermConvertible;
import io.ergon.term.Tuple;
import java.util.Objects;

/**
 * A registered name on a given node, Erlang's {@code {Name, Node}}: a destination for send, call and monitor.
 *
 * @param name the registered name
 * @param node the node's name ({@code alive@host})
 */
public record Name(Atom name, Atom node) implements TermConvertible {
    public Name {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(node, "node");
    }

    /** {@code {name, node}} from texts. */
    public static Name of(String name, String node) {
        return new Name(Atom.of(name), Atom.of(node));
    }

    @Override
    public Object toTerm() {
        return Tuple.of(name, node);
    }

    @Override
    public String toString() {
        return "{" + name + "," + node + "}";
    }
}
