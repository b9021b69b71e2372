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
    exports io.ergon.net;
}
