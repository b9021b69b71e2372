package io.ergon.node;

/**
 * A connection to another node could not be made ({@link Node#connectOrThrow}): the message names the node and the
 * reason, the same as the node's log gives (a refused handshake, a wrong cookie, a TLS certificate that was not
 * trusted or has expired, a plain-TCP peer of a TLS node, no such node).
 */
public final class NodeConnectException extends RuntimeException {
    private final String node;
    private final String reason;

    public NodeConnectException(String node, String reason) {
        super("cannot connect to " + node + ": " + reason);
        this.node = node;
        this.reason = reason;
    }

    /** The node that could not be reached. */
    public String node() {
        return node;
    }

    /** Why, in words. */
    public String reason() {
        return reason;
    }
}
