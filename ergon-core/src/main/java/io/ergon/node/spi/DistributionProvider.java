package io.ergon.node.spi;

import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import java.io.IOException;

/**
 * Makes nodes distributed. {@link io.ergon.node.Node#start(String, NodeOptions)} looks one up with
 * {@link java.util.ServiceLoader} when the options ask for a distributed node; ergon-core's {@code io.ergon.net}
 * provides it ({@code provides} in {@code module-info}, and {@code META-INF/services} for the class path).
 */
public interface DistributionProvider {
    /**
     * Opens the node's listening socket and registers its name (with EPMD), which gives the node its creation.
     * Nothing runs until {@link NodeDistribution#attach}.
     *
     * @throws IOException if the node cannot listen or its name cannot be registered (e.g. it is taken)
     */
    NodeDistribution open(Atom name, NodeOptions options) throws IOException;
}
