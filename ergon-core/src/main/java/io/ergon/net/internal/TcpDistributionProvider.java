package io.ergon.net.internal;

import io.ergon.node.NodeOptions;
import io.ergon.node.spi.DistributionProvider;
import io.ergon.node.spi.NodeDistribution;
import io.ergon.term.Atom;
import java.io.IOException;

/**
 * Ergon's distribution: Erlang's protocol over TCP, with EPMD. The node finds it with
 * {@link java.util.ServiceLoader}; see {@link Distribution}.
 */
public final class TcpDistributionProvider implements DistributionProvider {
    /** For {@link java.util.ServiceLoader}. */
    public TcpDistributionProvider() {
    }

    @Override
    public NodeDistribution open(Atom name, NodeOptions options) throws IOException {
        return Distribution.start(name, options);
    }
}
