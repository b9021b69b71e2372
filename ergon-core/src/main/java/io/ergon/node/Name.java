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

    /**
     * A destination as Ergon handles it: a {@code {Name, Node}} tuple (as it arrives from Erlang) becomes a
     * {@link Name}, a {@code String} an {@link Atom}; anything else is returned as it is.
     */
    public static Object destination(Object to) {
        if (to instanceof String s) {
            return Atom.of(s);
        }
        if (to instanceof Tuple t && t.size() == 2 && t.get(0) instanceof Atom name && t.get(1) instanceof Atom node) {
            return new Name(name, node);
        }
        return to;
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
