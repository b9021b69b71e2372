/**
 * The seam between a node and the distribution layer that makes it distributed. The node (layer 3) defines these
 * interfaces; {@code io.ergon.net} (layer 5) implements them and is found with {@link java.util.ServiceLoader}, so
 * the node never names the layer above it. Not exported: only ergon-core's own distribution implements it.
 */
@InternalApi
package io.ergon.node.spi;

import io.ergon.api.InternalApi;
