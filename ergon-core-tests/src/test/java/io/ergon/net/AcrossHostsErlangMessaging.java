package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Mailbox;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Messages and calls both ways between an Ergon node and an Erlang node (with {@code ergon_ft} loaded) on two
 * namespace hosts ({@link AcrossHosts}), and what the Erlang node says of the cluster and its connection.
 */
class AcrossHostsErlangMessaging {
    static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void callsBothWays() {
        String erl = AcrossHosts.erlangPeer;
        Rpc rpc = Rpc.of(AcrossHosts.node);
        Pid echo = (Pid) rpc.call(erl, "ergon_ft", "echo_server", List.of(), WAIT);
        try (Mailbox box = AcrossHosts.node.mailbox()) {
            for (long i = 0; i < 1000; i++) {
                assertThat((Object) box.call(echo, Tuple.of(Atom.of("n"), i), WAIT)).isEqualTo(Tuple.of(Atom.of("n"), i));
            }
        }
        // Erlang's gen_server:call into this node's echo
        Tuple request = Tuple.of(Atom.of("hello"), Binary.of(new byte[] {1, 2, 3}));
        Object viaErlang = rpc.call(erl, "gen_server", "call",
                List.of(Tuple.of(Atom.of("echo"), AcrossHosts.node.name()), request), WAIT);
        assertThat(viaErlang).isEqualTo(request);
    }

    /** Each message goes to an Erlang process, which sends it back: both directions keep the order. */
    @Test
    void tenThousandMessagesThereAndBackInOrder() {
        long n = 10_000;
        try (Mailbox box = AcrossHosts.node.mailbox("erl_msg_report")) {
            rpc().call(AcrossHosts.erlangPeer, "ergon_ft", "start", List.of(Atom.FALSE, Atom.of("undefined"),
                    Tuple.of(Atom.of("erl_msg_report"), AcrossHosts.node.name())), WAIT);
            Tuple ready = (Tuple) box.receive(WAIT);
            Pid p = (Pid) ready.get(1);
            for (long i = 1; i <= n; i++) {
                box.send(p, i);
            }
            for (long i = 1; i <= n; i++) {
                assertThat(box.receive(WAIT)).isEqualTo(Tuple.of(Atom.of("got"), p, i));
            }
            box.exit(p, Atom.of("kill"));
        }
    }

    /** The Erlang node is connected to both Ergon nodes, over TLS. */
    @Test
    void theErlangNodeSeesBothErgonNodesOverTls() {
        String erl = AcrossHosts.erlangPeer;
        @SuppressWarnings("unchecked")
        List<Object> nodes = (List<Object>) rpc().call(erl, "erlang", "nodes", List.of(), WAIT);
        assertThat(nodes).contains(AcrossHosts.node.name(), Atom.of(AcrossHosts.ergonPeer));
        for (Object node : List.of(AcrossHosts.node.name(), Atom.of(AcrossHosts.ergonPeer))) {
            Object info = rpc().call(erl, "net_kernel", "node_info", List.of(node), WAIT);
            // {ok, [{owner, _}, {state, up}, {address, #net_address{protocol = tls}}, ...]}
            List<?> props = (List<?>) ((Tuple) info).get(1);
            Tuple address = (Tuple) props.stream().map(Tuple.class::cast)
                    .filter(t -> t.get(0).equals(Atom.of("address"))).findFirst().orElseThrow().get(1);
            assertThat(address.get(3)).as("the protocol of %s's connection", node).isEqualTo(Atom.of("tls"));
        }
    }

    private static Rpc rpc() {
        return Rpc.of(AcrossHosts.node);
    }
}
