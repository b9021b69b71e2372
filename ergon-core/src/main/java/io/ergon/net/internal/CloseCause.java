package io.ergon.net.internal;

import io.ergon.term.Atom;

/** Why a connection closed, as the node's log and its node monitors see it. */
enum CloseCause {
    /** Closed on request, by the peer, or because the node stops: logged at info level. */
    CLOSED(false, "connection_closed"),
    /** A protocol, read or write error, or a failed handshake: logged as a warning. */
    FAILED(true, "connection_closed"),
    /** Nothing came in for net_ticktime: a warning, and {@code nodedown} says {@code net_tick_timeout}. */
    TICK_TIMEOUT(true, "net_tick_timeout");

    private final boolean failure;
    private final Atom nodeDownReason;

    CloseCause(boolean failure, String nodeDownReason) {
        this.failure = failure;
        this.nodeDownReason = Atom.of(nodeDownReason);
    }

    /** True if it is worth a warning rather than an info line. */
    boolean failure() {
        return failure;
    }

    /** The reason node monitors get in their {@code NodeDown}. */
    Atom nodeDownReason() {
        return nodeDownReason;
    }
}
