package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.etf.DecodeLimits;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Tuple;
import io.ergon.testkit.ErlangNode;
import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What OTP itself sends in normal use crosses to an Ergon node over an authenticated connection, which stays up
 * (issue 14: a 75 KB bignum or a 70 MB binary closed the connection, and every link and monitor across it fired
 * {@code noconnection}); past the limits a node sets for itself, the connection closes.
 */
class ErlangLargeMessageTest {
    private static final String COOKIE = "large";

    private static NodeOptions options(EpmdServer epmd) {
        return NodeOptions.defaults().distributed(true).cookie(COOKIE).epmdPort(epmd.port())
                .listenAddress(InetAddress.getLoopbackAddress());
    }

    @Test
    void aHugeBignumAndA70MBBinaryFromErlangArriveAndTheConnectionStays() throws Exception {
        ErlangNode.assumeAvailable();
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Node java = Node.start("large_j@localhost", options(epmd));
             Mailbox inbox = java.mailbox("inbox");
             ErlangNode erl = ErlangNode.start("erl_large", COOKIE, epmd.port())) {
            String to = "{inbox, '" + java.name().name() + "'}";
            assertThat(erl.eval(to + " ! {big, 1 bsl 600000}, " + to + " ! {bin, binary:copy(<<7>>, 70000000)}, "
                    + to + " ! done, ok.", Duration.ofSeconds(60))).isEqualTo("ok");
            Tuple big = (Tuple) inbox.receive(Duration.ofSeconds(30));
            assertThat(big.get(1)).isEqualTo(BigInteger.ONE.shiftLeft(600000));
            Tuple bin = (Tuple) inbox.receive(Duration.ofSeconds(30));
            assertThat(((Binary) bin.get(1)).size()).isEqualTo(70_000_000);
            assertThat(inbox.receive(Duration.ofSeconds(30))).isEqualTo(Atom.of("done"));
            assertThat(java.nodes()).contains(Atom.of(erl.name()));
            assertThat(erl.eval("lists:member('" + java.name().name() + "', nodes()).")).isEqualTo("true");
        }
    }

    @Test
    void pastTheLimitsANodeSetsTheConnectionCloses() throws Exception {
        ErlangNode.assumeAvailable();
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Node java = Node.start("small_j@localhost", options(epmd)
                     .distDecodeLimits(DecodeLimits.DISTRIBUTION.withMaxBytes(1 << 20)));
             Mailbox inbox = java.mailbox("inbox");
             ErlangNode erl = ErlangNode.start("erl_small", COOKIE, epmd.port())) {
            String to = "{inbox, '" + java.name().name() + "'}";
            erl.eval(to + " ! small, ok.");
            assertThat(inbox.receive(Duration.ofSeconds(10))).isEqualTo(Atom.of("small"));
            java.monitorNode(inbox.pid(), erl.name());
            erl.eval(to + " ! {bin, binary:copy(<<7>>, 2000000)}, ok.");
            Object down = inbox.receive(m -> m instanceof io.ergon.node.NodeDown, Duration.ofSeconds(10));
            assertThat(down).as("a 2 MB message past a 1 MiB limit closes the connection").isNotNull();
        }
    }
}
