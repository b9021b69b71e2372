package io.ergon.io;

import io.ergon.term.Atom;
import io.ergon.term.ErlangException;

/**
 * A failed socket or port operation, with the reason Erlang's {@code gen_tcp}, {@code gen_udp} or a port would
 * return in {@code {error, Reason}}: {@code closed}, {@code timeout}, {@code einval} (an operation the current mode
 * does not allow, such as a {@code recv} on an active socket), {@code emsgsize} (a packet over the size limit or
 * its header), {@code econnrefused}, {@code econnreset}, or another POSIX name. Unchecked, like Erlang's errors.
 */
public final class IoError extends ErlangException {
    private static final long serialVersionUID = 1L;

    /** {@code closed}: the socket or port is closed. */
    public static final Atom CLOSED = Atom.of("closed");
    /** {@code timeout}. */
    public static final Atom TIMEOUT = Atom.of("timeout");
    /** {@code einval}: not allowed in the current mode. */
    public static final Atom EINVAL = Atom.of("einval");
    /** {@code emsgsize}: a packet over the size limit. */
    public static final Atom EMSGSIZE = Atom.of("emsgsize");
    /** {@code econnreset}: the peer reset the connection. */
    public static final Atom ECONNRESET = Atom.of("econnreset");
    /** {@code econnrefused}: nothing listens at the address. */
    public static final Atom ECONNREFUSED = Atom.of("econnrefused");

    /** An error with {@code reason}, explained by {@code message}. */
    public IoError(Atom reason, String message) {
        super(reason, reason + ": " + message, null);
    }

    /** An error with {@code reason}, caused by {@code cause}. */
    public IoError(Atom reason, String message, Throwable cause) {
        super(reason, reason + ": " + message, cause);
    }

    /**
     * An error with a compound {@code reason}, as a TLS refusal's {@code {tls_alert, {Description, Text}}}, caused
     * by {@code cause}.
     */
    public IoError(Object reason, String message, Throwable cause) {
        super(reason, message, cause);
    }

    /** The POSIX-style reason Erlang would give for a Java I/O failure. */
    public static Atom reasonOf(java.io.IOException e) {
        if (e instanceof java.net.SocketTimeoutException) {
            return TIMEOUT;
        }
        if (e instanceof java.net.ConnectException) {
            return ECONNREFUSED;
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("reset")) {
            return ECONNRESET;
        }
        if (m.contains("broken pipe")) {
            return Atom.of("epipe");
        }
        if (m.contains("closed")) {
            return CLOSED;
        }
        return Atom.of("eio");
    }
}
