package io.ergon.term;

import java.util.Objects;

/**
 * An Erlang port identifier: the node that owns the port, a 64-bit id (OTP 26+ uses up to 64 bits; older nodes
 * 32) and the node's creation. Two ports are equal when all three are equal.
 *
 * @param node the node that owns the port
 * @param id the port number (unsigned)
 * @param creation the node's creation (unsigned 32 bits)
 */
public record Port(Atom node, long id, int creation) {
    public Port {
        Objects.requireNonNull(node, "node");
    }

    /** Erlang's rendering, {@code #Port<N.Id>}. */
    @Override
    public String toString() {
        return TermFormat.format(this);
    }
}
