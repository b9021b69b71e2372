package io.ergon.net.internal;

/**
 * The bounds of inbound backpressure ({@link InboundBacklog}): how many bytes of decoded messages one connection,
 * and all of a node's connections together, may have waiting in local mailboxes before a reader stops reading.
 * From {@code NodeOptions.distConnectionInboundLimit} and {@code distInboundLimit}, validated there.
 *
 * @param connection bytes one connection may hold before its reader pauses
 * @param node bytes all connections together may hold before a reader with a backlog of its own pauses
 */
record InboundLimits(long connection, long node) {
    /** The defaults: 16 MiB per connection, 64 MiB per node. */
    static final InboundLimits DEFAULT = new InboundLimits(16L << 20, 64L << 20);

    InboundLimits {
        if (connection <= 0 || node <= 0) {
            throw new IllegalArgumentException("inbound limits must be positive: " + connection + ", " + node);
        }
    }
}
