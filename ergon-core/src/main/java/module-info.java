/**
 * Ergon's runtime: Erlang terms, nodes and processes, OTP behaviours and Erlang distribution.
 */
module io.ergon.core {
    requires org.slf4j;
    // JFR events of the runtime (io.ergon.ProcessCrash, io.ergon.Activation): part of every JDK, free when not recording
    requires jdk.jfr;
    // discovery: DNS through JNDI's DNS provider, etcd's HTTP/JSON gateway through the JDK's HttpClient
    requires java.naming;
    requires java.net.http;

    exports io.ergon.api;
    exports io.ergon.term;
    exports io.ergon.etf;
    exports io.ergon.node;
    exports io.ergon.gen;
    exports io.ergon.pool;
    exports io.ergon.events;
    exports io.ergon.net;
    exports io.ergon.net.discovery;

    // the node finds its distribution layer without naming it (io.ergon.node.spi, not exported)
    uses io.ergon.node.spi.DistributionProvider;
    provides io.ergon.node.spi.DistributionProvider with io.ergon.net.internal.TcpDistributionProvider;
}
