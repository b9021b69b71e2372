/**
 * Ergon's runtime: Erlang terms, nodes and processes, OTP behaviours and Erlang distribution.
 */
module io.ergon.core {
    requires org.slf4j;

    exports io.ergon.api;
    exports io.ergon.term;
    exports io.ergon.etf;
    exports io.ergon.node;
    exports io.ergon.gen;
    exports io.ergon.pool;
    exports io.ergon.events;
    exports io.ergon.net;

    // the node finds its distribution layer without naming it (io.ergon.node.spi, not exported)
    uses io.ergon.node.spi.DistributionProvider;
    provides io.ergon.node.spi.DistributionProvider with io.ergon.net.internal.TcpDistributionProvider;
}
