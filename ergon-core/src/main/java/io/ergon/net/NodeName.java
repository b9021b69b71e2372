package io.ergon.net;

import io.ergon.term.Atom;
import java.util.Objects;

/**
 * A node name, {@code alive@host}, split into its parts. A host with a dot makes a long name ({@code -name}), one
 * without a short name ({@code -sname}); Erlang never connects the two kinds, and neither does Ergon. An IPv6 address
 * as the host ({@code app@::1}, {@code app@fd00::5}) has no dot but is a long name, as Erlang's {@code -name} with
 * {@code -proto_dist inet6_tcp} takes it.
 *
 * @param alive the part before the {@code @} (what EPMD registers)
 * @param host the part after it (what the peer's address is resolved from)
 */
public record NodeName(String alive, String host) {
    public NodeName {
        Objects.requireNonNull(alive, "alive");
        Objects.requireNonNull(host, "host");
        if (alive.isEmpty() || host.isEmpty()) {
            throw new IllegalArgumentException("a node name is alive@host with both parts non-empty");
        }
    }

    /**
     * Parses {@code alive@host}.
     *
     * @throws IllegalArgumentException if there is no {@code @} or a part is empty
     */
    public static NodeName parse(String name) {
        int at = name.indexOf('@');
        if (at <= 0 || at == name.length() - 1 || name.indexOf('@', at + 1) >= 0) {
            throw new IllegalArgumentException("a node name is alive@host, not '" + name + "'");
        }
        return new NodeName(name.substring(0, at), name.substring(at + 1));
    }

    /** Parses an atom's name. */
    public static NodeName of(Atom name) {
        return parse(name.name());
    }

    /** True for a long name: the host has a dot, or is an IPv6 address. */
    public boolean isLong() {
        return isLongHost(host);
    }

    /** True if {@code host} makes a long name: it has a dot, or is an IPv6 address. */
    public static boolean isLongHost(String host) {
        return host.indexOf('.') >= 0 || host.indexOf(':') >= 0;
    }

    /** True if the host is an IPv6 address literal (written without brackets, as in Erlang's node names). */
    public boolean isIpv6Address() {
        return host.indexOf(':') >= 0;
    }

    /** The full name as an atom. */
    public Atom atom() {
        return Atom.of(toString());
    }

    @Override
    public String toString() {
        return alive + "@" + host;
    }
}
