package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.gen.GenServer;
import io.ergon.node.From;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.TlsOptions;
import io.ergon.term.Atom;
import io.ergon.testkit.ErlangNode;
import io.ergon.testkit.TestPki;
import io.ergon.testkit.TestPki.Identity;
import io.ergon.testkit.TestPki.KeyKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes without EPMD, as Erlang's {@code -start_epmd false -erl_epmd_port PORT}: every node listens on one shared
 * port at its own address (here 127.0.0.1 and 127.0.0.2, two addresses of this host, standing for two hosts), and
 * finds the others there; or a peer's port is given ({@code peerPort}). No EPMD runs: the EPMD port the nodes are
 * given is one nothing listens on, and still nothing listens there afterwards (no embedded EPMD was started). With a
 * real Erlang node configured that way, plain and over TLS.
 */
class EpmdlessDistributionTest {
    static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    Path dir;

    /** A port free on every address of this host. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(0));
            return s.getLocalPort();
        }
    }

    static InetAddress address(String a) throws IOException {
        return InetAddress.getByName(a);
    }

    static NodeOptions epmdless(int port, int deadEpmdPort, String address) throws IOException {
        return NodeOptions.defaults().distributed(true).cookie("no_epmd").epmdPort(deadEpmdPort).epmdless(port)
                .listenAddress(address(address)).setupTime(Duration.ofSeconds(5));
    }

    static void assertNothingListensOn(int port) {
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            }
        }).as("no EPMD on port %d", port).isInstanceOf(java.net.ConnectException.class);
    }

    static final class Echo extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return request;
        }
    }

    @Test
    void ergonNodesFindEachOtherOnTheSharedPortOrAGivenOne() throws Exception {
        int port = freePort();
        int deadEpmd = freePort();
        int other = freePort();
        String a = "a" + SEQ.incrementAndGet() + "@127.0.0.1";
        String b = "b" + SEQ.incrementAndGet() + "@127.0.0.2";
        String c = "c" + SEQ.incrementAndGet() + "@127.0.0.1";
        try (Node na = Node.start(a, epmdless(port, deadEpmd, "127.0.0.1"));
             Node nb = Node.start(b, epmdless(port, deadEpmd, "127.0.0.2"));
             // a third node on a's address needs a port of its own: a knows it, and it knows a's
             Node nc = Node.start(c, epmdless(other, deadEpmd, "127.0.0.1").peerPort(a, port))) {
            assertThat(na.port()).isEqualTo(port);
            assertThat(nb.port()).isEqualTo(port);
            nb.spawnRegister("echo", Echo::new);
            assertThat(na.<Object>call(Name.of("echo", b), Atom.of("hello"), Duration.ofSeconds(10)))
                    .isEqualTo(Atom.of("hello"));
            assertThat(nb.ping(a)).isTrue();
            na.spawnRegister("echo", Echo::new);
            assertThat(nc.<Object>call(Name.of("echo", a), Atom.of("via peerPort"), Duration.ofSeconds(10)))
                    .isEqualTo(Atom.of("via peerPort"));
            assertThat(na.nodes()).contains(Atom.of(b), Atom.of(c));
            assertThat(na.isDistributed()).isTrue();
        }
        assertNothingListensOn(deadEpmd);
    }

    static void talk(Node java, ErlangNode erl) {
        String j = java.name().name();
        assertThat(erl.eval("net_adm:ping('" + j + "').")).isEqualTo("pong");
        java.spawnRegister("echo", Echo::new);
        assertThat(erl.eval("gen_server:call({echo, '" + j + "'}, {hello, 42}).")).isEqualTo("{hello,42}");
        assertThat(Rpc.of(java).call(erl.name(), "erlang", "node", List.of(), Duration.ofSeconds(10)))
                .isEqualTo(Atom.of(erl.name()));
        // and from Ergon's side first, once Erlang dropped the connection
        ErlangDisconnect.fromErlangSide(java, erl);
        java.connectOrThrow(erl.name());
        assertThat(Rpc.of(java).callRex(erl.name(), "lists", "seq", List.of(1L, 3L), Duration.ofSeconds(10)))
                .isEqualTo(List.of(1L, 2L, 3L));
    }

    @Test
    @org.junit.jupiter.api.Tag("erlang")
    void withAnErlangNodeStartedWithErlEpmdPort() throws Exception {
        ErlangNode.assumeAvailable();
        int port = freePort();
        int deadEpmd = freePort();
        try (ErlangNode erl = ErlangNode.startLongName("erl_noepmd" + SEQ.incrementAndGet(), "127.0.0.1", "no_epmd",
                deadEpmd, "-erl_epmd_port", Integer.toString(port));
             Node java = Node.start("ergon_noepmd" + SEQ.incrementAndGet() + "@127.0.0.2",
                     epmdless(port, deadEpmd, "127.0.0.2"))) {
            talk(java, erl);
        }
        assertNothingListensOn(deadEpmd);
    }

    @Test
    @org.junit.jupiter.api.Tag("erlang")
    void withAnErlangNodeOverTlsWithoutEpmd() throws Exception {
        ErlangNode.assumeAvailable();
        TestPki.assumeAvailable();
        TestPki pki = TestPki.create(dir);
        // Erlang 25 checks the host of a node name as a DNS name even when it is an address (its
        // server_name_indication), so the certificate carries the addresses as DNS names too; Ergon checks IP names
        Identity cert = pki.issue("noepmd", KeyKind.EC_PKCS8, false, false,
                "IP:127.0.0.1,IP:127.0.0.2,DNS:127.0.0.1,DNS:127.0.0.2");
        int port = freePort();
        int deadEpmd = freePort();
        try (ErlangNode erl = ErlangNode.startLongName("erl_tls_noepmd" + SEQ.incrementAndGet(), "127.0.0.1",
                "no_epmd", deadEpmd, "-erl_epmd_port", Integer.toString(port), "-proto_dist", "inet_tls",
                "-ssl_dist_optfile", pki.erlangOptFile(cert).toString());
             Node java = Node.start("ergon_tls_noepmd" + SEQ.incrementAndGet() + "@127.0.0.2",
                     epmdless(port, deadEpmd, "127.0.0.2").tls(TlsOptions.pem(cert.certificate(), cert.key(),
                             pki.caBundle())))) {
            talk(java, erl);
            assertThat(erl.eval("element(4, proplists:get_value(address, element(2, net_kernel:node_info('"
                    + java.name().name() + "')))).")).isEqualTo("tls");
        }
        assertNothingListensOn(deadEpmd);
    }
}
