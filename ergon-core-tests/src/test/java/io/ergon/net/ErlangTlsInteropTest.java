package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.gen.GenServer;
import io.ergon.net.internal.Distribution;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeConnectException;
import io.ergon.node.NodeOptions;
import io.ergon.node.TlsOptions;
import io.ergon.term.Atom;
import io.ergon.testkit.ErlangNode;
import io.ergon.testkit.LogCapture;
import io.ergon.testkit.TestPki;
import io.ergon.testkit.TestPki.Identity;
import io.ergon.testkit.TestPki.KeyKind;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ergon and a real Erlang/OTP node, both with TLS distribution ({@code erl -proto_dist inet_tls
 * -ssl_dist_optfile FILE}): each side connects to the other, over TLS 1.3 and over TLS 1.2 alone, and pings, calls a
 * gen_server and makes rpc calls; Erlang sees the connection as {@code tls}. A node whose certificate the other side
 * must refuse (from another CA, expired), and a plain-TCP node on either side, cannot connect, and the refusal names
 * the cause.
 */
@Tag("erlang")
class ErlangTlsInteropTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static EpmdServer epmd;
    static Identity ergonCert;
    static Identity erlangCert;
    static Identity expired;
    static Identity untrusted;
    static final AtomicInteger SEQ = new AtomicInteger();

    @BeforeAll
    static void setUp() throws Exception {
        ErlangNode.assumeAvailable();
        TestPki.assumeAvailable();
        pki = TestPki.create(dir);
        String sans = "DNS:localhost,IP:127.0.0.1";
        ergonCert = pki.issue("ergon", KeyKind.EC_SEC1, false, false, sans);
        erlangCert = pki.issue("erlang", KeyKind.RSA_PKCS8, false, false, sans);
        expired = pki.issue("expired", KeyKind.RSA_PKCS1, false, true, sans);
        untrusted = pki.issue("untrusted", KeyKind.EC_PKCS8, true, false, sans);
        epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterAll
    static void stop() {
        if (epmd != null) {
            epmd.close();
        }
    }

    /**
     * The setup time is generous: a JVM's first TLS handshakes, before its JIT has compiled JSSE, took more than 5 s
     * on a loaded machine (the Ergon node then refused the Erlang node's connection). No test here waits it out.
     */
    static NodeOptions plain() {
        return NodeOptions.defaults().distributed(true).cookie("tls_interop").epmdPort(epmd.port())
                .listenAddress(InetAddress.getLoopbackAddress()).setupTime(Duration.ofSeconds(20));
    }

    static NodeOptions tls(Identity id, String... versions) {
        TlsOptions t = TlsOptions.pem(id.certificate(), id.key(), pki.caBundle());
        return plain().tls(versions.length == 0 ? t : t.versions(versions));
    }

    static ErlangNode erlang(String alive, Identity id, String... versions) throws Exception {
        return ErlangNode.start(alive + "_" + SEQ.incrementAndGet(), "tls_interop", epmd.port(), "-proto_dist",
                "inet_tls", "-ssl_dist_optfile", pki.erlangOptFile(id, versions).toString());
    }

    static String ergonName(String alive) {
        return alive + "_" + SEQ.incrementAndGet() + "@localhost";
    }

    static final class Echo extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return request;
        }
    }

    /** Erlang reaches Ergon first: ping, gen_server:call, rpc both ways, a message each way; the link is TLS. */
    static void erlangFirst(Node java, ErlangNode erl) {
        String j = java.name().name();
        assertThat(erl.eval("net_adm:ping('" + j + "').")).isEqualTo("pong");
        java.spawnRegister("echo", Echo::new);
        assertThat(erl.eval("gen_server:call({echo, '" + j + "'}, {hello, <<\"tls\">>}).")).isEqualTo(
                "{hello,<<116,108,115>>}");
        // the distribution controller of the connection is TLS's, and the address says so
        assertThat(erl.eval("element(4, proplists:get_value(address, element(2, net_kernel:node_info('" + j
                + "')))).")).isEqualTo("tls");
        // a big message crosses in many TLS records
        assertThat(erl.eval("byte_size(gen_server:call({echo, '" + j + "'}, binary:copy(<<7>>, 1000000))).")).isEqualTo(
                "1000000");
        assertThat(Rpc.of(java).call(erl.name(), "erlang", "node", List.of(), Duration.ofSeconds(10)))
                .isEqualTo(Atom.of(erl.name()));
        erl.eval("register(shell_box, self()).");
        try (Mailbox box = java.mailbox()) {
            box.send(Name.of("shell_box", erl.name()), Atom.of("from_java"));
            assertThat(erl.eval("receive M -> M after 5000 -> timeout end.")).isEqualTo("from_java");
        }
    }

    /** Ergon reaches Erlang first: connect, rpc (erpc and rex), a gen_server:call into Erlang's code server. */
    static void ergonFirst(Node java, ErlangNode erl) {
        java.connectOrThrow(erl.name());
        assertThat(java.ping(erl.name())).isTrue();
        assertThat(Rpc.of(java).call(erl.name(), "erlang", "node", List.of(), Duration.ofSeconds(10)))
                .isEqualTo(Atom.of(erl.name()));
        assertThat(Rpc.of(java).callRex(erl.name(), "lists", "seq", List.of(1L, 3L), Duration.ofSeconds(10)))
                .isEqualTo(List.of(1L, 2L, 3L));
        Object auth = java.call(Name.of("net_kernel", erl.name()), io.ergon.term.Tuple.of(Atom.of("is_auth"),
                java.name()), Duration.ofSeconds(10));
        assertThat(auth).isEqualTo(Atom.of("yes"));
        java.spawnRegister("echo_back", Echo::new);
        assertThat(erl.eval("gen_server:call({echo_back, '" + java.name().name() + "'}, ping).")).isEqualTo("ping");
    }

    @Test
    void erlangAndErgonOverTls13() throws Exception {
        try (Node java = Node.start(ergonName("ergon_tls13"), tls(ergonCert, "TLSv1.3"));
             ErlangNode erl = erlang("erl_tls13", erlangCert, "'tlsv1.3'")) {
            erlangFirst(java, erl);
        }
        try (Node java = Node.start(ergonName("ergon_tls13"), tls(ergonCert, "TLSv1.3"));
             ErlangNode erl = erlang("erl_tls13", erlangCert, "'tlsv1.3'")) {
            ergonFirst(java, erl);
        }
    }

    @Test
    void erlangAndErgonOverTls12() throws Exception {
        // Ergon reads the Erlang node's own kind of ssl_dist_optfile
        NodeOptions fromOptFile = plain().tls(TlsOptions.fromErlangOptFile(pki.erlangOptFile(ergonCert, "'tlsv1.2'")));
        assertThat(fromOptFile.tls().versions()).containsExactly("TLSv1.2");
        try (Node java = Node.start(ergonName("ergon_tls12"), fromOptFile);
             ErlangNode erl = erlang("erl_tls12", erlangCert, "'tlsv1.2'")) {
            erlangFirst(java, erl);
            // and once more from Ergon's side after Erlang dropped the connection
            ErlangDisconnect.fromErlangSide(java, erl);
            ergonFirst(java, erl);
        }
    }

    @Test
    void erlangRefusesErgonsExpiredCertificateAndErgonAnErlangCertificateFromAnotherCa() throws Exception {
        try (LogCapture log = LogCapture.of(Distribution.class);
             Node java = Node.start(ergonName("ergon_expired"), tls(expired));
             ErlangNode erl = erlang("erl_good", erlangCert)) {
            assertThatThrownBy(() -> java.connectOrThrow(erl.name()))
                    .isInstanceOfSatisfying(NodeConnectException.class, e -> assertThat(e.reason())
                            .contains("refused this node's certificate"));
            assertThat(erl.eval("net_adm:ping('" + java.name().name() + "').")).isEqualTo("pang");
            assertThat(java.nodes()).isEmpty();
            assertThat(log.messages()).anySatisfy(m -> assertThat(m).contains(java.name().name() + ": connection to "
                    + erl.name() + " failed").contains("TLS:"));
        }
        try (LogCapture log = LogCapture.of(Distribution.class);
             Node java = Node.start(ergonName("ergon_good"), tls(ergonCert));
             ErlangNode erl = erlang("erl_untrusted", untrusted)) {
            assertThat(erl.eval("net_adm:ping('" + java.name().name() + "').")).isEqualTo("pang");
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.messages())
                    .anySatisfy(m -> assertThat(m).startsWith(java.name().name() + ": refused a connection from")
                            .contains("TLS: the connecting peer's certificate is not trusted")));
            assertThatThrownBy(() -> java.connectOrThrow(erl.name()))
                    .isInstanceOfSatisfying(NodeConnectException.class, e -> assertThat(e.reason())
                            .contains("TLS: the peer's certificate is not trusted"));
        }
    }

    @Test
    void aPlainErlangNodeAndATlsErgonNodeRefuseEachOtherSayingWhy() throws Exception {
        try (LogCapture log = LogCapture.of(Distribution.class);
             Node java = Node.start(ergonName("ergon_tls"), tls(ergonCert));
             ErlangNode erl = ErlangNode.start("erl_plain_" + SEQ.incrementAndGet(), "tls_interop", epmd.port())) {
            assertThat(erl.eval("net_adm:ping('" + java.name().name() + "').")).isEqualTo("pang");
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.messages())
                    .anySatisfy(m -> assertThat(m).startsWith(java.name().name() + ": refused a connection from")
                            .contains("does not speak TLS")));
            assertThatThrownBy(() -> java.connectOrThrow(erl.name()))
                    .isInstanceOfSatisfying(NodeConnectException.class, e -> assertThat(e.reason())
                            .contains("plain-TCP node"));
        }
        try (LogCapture log = LogCapture.of(Distribution.class);
             Node java = Node.start(ergonName("ergon_plain"), plain());
             ErlangNode erl = erlang("erl_tls", erlangCert)) {
            assertThat(erl.eval("net_adm:ping('" + java.name().name() + "').")).isEqualTo("pang");
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.messages())
                    .anySatisfy(m -> assertThat(m).startsWith(java.name().name() + ": refused a connection from")
                            .contains("the peer speaks TLS")));
            assertThatThrownBy(() -> java.connectOrThrow(erl.name()))
                    .isInstanceOfSatisfying(NodeConnectException.class, e -> assertThat(e.reason())
                            .contains("TLS node"));
        }
    }
}
