package io.ergon.io.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.io.Active;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import io.ergon.testkit.ErlangNode;
import io.ergon.testkit.TestCluster;
import io.ergon.testkit.TestPki.Identity;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ergon's TLS sockets and Erlang's {@code ssl}, with one set of certificates: an Erlang client reaches an Ergon TLS
 * server, an Ergon client reaches an Erlang {@code ssl:listen} server, both verifying each other, and a client the
 * Ergon server does not trust is refused with the reason an Erlang server gives for the same client. Skipped without
 * {@code erl} or {@code openssl}.
 */
class ErlangSslTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static TlsFixture certs;

    @RegisterExtension
    final TestCluster cluster = TestCluster.create();

    @BeforeAll
    static void certificates() throws IOException {
        certs = TlsFixture.create(dir);
    }

    /** Erlang's ssl options for {@code id}, verifying the peer against the trusted CA. */
    private static String sslOptions(Identity id) {
        return "[binary, {active, false}, {certfile, \"" + id.certificate() + "\"}, {keyfile, \"" + id.key()
                + "\"}, {cacertfile, \"" + certs.pki.caBundle() + "\"}, {verify, verify_peer}]";
    }

    private int echoServer(Node node, String name) {
        TcpServer.start(node, TcpServerSpec.of(name, 0, Handlers.Echo::new).bind(InetAddress.getLoopbackAddress())
                .tls(certs.tls(certs.server)));
        return TcpServer.port(node, name);
    }

    @Test
    void anErlangSslClientIsEchoedByAnErgonTlsServer() {
        Node node = cluster.ergon("tls_server");
        ErlangNode erl = cluster.erlang("ssl_client");
        int port = echoServer(node, "erlang_echo");
        String got = erl.eval("{ok, _} = application:ensure_all_started(ssl), "
                + "{ok, S} = ssl:connect(\"localhost\", " + port + ", " + sslOptions(certs.client) + " ++ "
                + "[{server_name_indication, \"localhost\"}], 20000), "
                + "ok = ssl:send(S, <<\"hello from erlang\">>), {ok, Got} = ssl:recv(S, 17, 20000), "
                + "{ok, Protocol} = ssl:connection_information(S, [protocol]), ssl:close(S), {Got, Protocol}.", WAIT);
        assertThat(got).isEqualTo("{<<104,101,108,108,111,32,102,114,111,109,32,101,114,108,97,110,103>>,"
                + "[{protocol,'tlsv1.3'}]}");
    }

    @Test
    void anErgonTlsClientIsEchoedByAnErlangSslServer() throws Exception {
        Node node = cluster.ergon("tls_client");
        ErlangNode erl = cluster.erlang("ssl_server");
        // the listening socket belongs to the shell; a process of its own accepts one connection and echoes once
        String port = erl.eval("{ok, _} = application:ensure_all_started(ssl), "
                + "{ok, L} = ssl:listen(0, " + sslOptions(certs.server) + " ++ [{fail_if_no_peer_cert, true}, "
                + "{reuseaddr, true}]), {ok, {_, P}} = ssl:sockname(L), "
                + "spawn(fun() -> {ok, T} = ssl:transport_accept(L, 20000), {ok, S} = ssl:handshake(T, 20000), "
                + "{ok, D} = ssl:recv(S, 0, 20000), ok = ssl:send(S, D), {error, closed} = ssl:recv(S, 0, 20000) "
                + "end), P.", WAIT);
        try (Mailbox owner = node.mailbox()) {
            TcpSocket socket = TcpSocket.connect(owner, "localhost", Integer.parseInt(port),
                    TcpOptions.defaults().tls(certs.tls(certs.client)).active(Active.once()), WAIT);
            socket.send("hello from ergon");
            assertThat(((TcpData) owner.receive(WAIT)).text()).isEqualTo("hello from ergon");
            socket.close();
        }
    }

    @Test
    void anErlangClientTheServerDoesNotTrustIsRefusedWithErlangsReason() {
        Node node = cluster.ergon("tls_picky");
        ErlangNode erl = cluster.erlang("ssl_stranger");
        try (Mailbox probe = node.mailbox()) {
            TcpServer.start(node, TcpServerSpec.of("picky", 0, s -> new Handlers.Forward(s, probe.pid()))
                    .bind(InetAddress.getLoopbackAddress()).tls(certs.tls(certs.server)));
            int port = TcpServer.port(node, "picky");
            // the stranger trusts the server's CA, but its own certificate is from another
            String result = erl.eval("{ok, _} = application:ensure_all_started(ssl), "
                    + "case ssl:connect(\"localhost\", " + port + ", " + sslOptions(certs.stranger) + " ++ "
                    + "[{server_name_indication, \"localhost\"}], 20000) of "
                    + "{ok, S} -> ssl:recv(S, 0, 20000); Error -> Error end.", WAIT);
            // the server's alert; or, when the alert came before the recv, closed: Erlang's connection process ends
            // on a fatal alert that no call is waiting for, and the recv after it finds the connection gone
            assertThat(result).as("what Erlang's client got").matches("\\{error,(\\{tls_alert,\\{.*|closed\\})");
            TcpError error = (TcpError) probe.receive(m -> m instanceof TcpError, WAIT);
            Tuple reason = (Tuple) error.reason();
            assertThat(reason.get(0)).isEqualTo(Atom.of("tls_alert"));
            assertThat(probe.receive(m -> m instanceof TcpClosed, WAIT)).isInstanceOf(TcpClosed.class);

            // the same stranger at an Erlang ssl server: the description Erlang's handshake fails with is Ergon's
            String erlangPort = erl.eval("Self = self(), {ok, L} = ssl:listen(0, " + sslOptions(certs.server)
                    + " ++ [{fail_if_no_peer_cert, true}, {reuseaddr, true}]), {ok, {_, P}} = ssl:sockname(L), "
                    + "spawn(fun() -> {ok, T} = ssl:transport_accept(L, 20000), Self ! {handshake, "
                    + "ssl:handshake(T, 20000)} end), P.", WAIT);
            erl.eval("catch ssl:connect(\"localhost\", " + erlangPort + ", " + sslOptions(certs.stranger) + " ++ "
                    + "[{server_name_indication, \"localhost\"}], 20000).", WAIT);
            String erlangSays = erl.eval("receive {handshake, {error, {tls_alert, {D, _}}}} -> D; {handshake, Other} "
                    + "-> {unexpected, Other} after 20000 -> no_handshake end.", WAIT);
            assertThat(((Tuple) reason.get(1)).get(0)).as("Ergon's description, and Erlang's: " + erlangSays)
                    .isEqualTo(Atom.of(erlangSays));
        }
    }
}
