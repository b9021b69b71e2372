package io.ergon.io.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.io.Active;
import io.ergon.io.IoError;
import io.ergon.io.Packet;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.TlsOptions;
import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import io.ergon.testkit.TestPki.Identity;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on TCP servers and connections, with the distribution's {@link TlsOptions} and certificates made by openssl
 * ({@link TlsFixture}): an Ergon echo server answers the JDK's {@link SSLSocket} and {@code openssl s_client}; an Ergon
 * connection reaches an Ergon server, and refuses a server it does not trust; a server refuses a client it does not
 * trust, and closes a connection that never handshakes, and goes on serving others; framing works over TLS as over
 * TCP. Skipped when openssl is missing.
 */
class TlsTcpTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static TlsFixture certs;

    private Node node;

    @BeforeAll
    static void certificates() throws IOException {
        certs = TlsFixture.create(dir);
    }

    @BeforeEach
    void start() {
        node = Node.start("tcp_tls_test@localhost");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /**
     * Socket options with a handshake deadline of 30 s, not the default 5: on a machine at load 17-19 a server's
     * handshake took longer, and it closed the connection (user_canceled) under a client about to send.
     */
    private static TcpOptions options() {
        return TcpOptions.defaults().handshakeTimeout(Duration.ofSeconds(30));
    }

    private static TlsOptions tls(Identity id) {
        return certs.tls(id);
    }

    /** An echo server ({@code {active, once}}) with TLS as {@code serverTls}; its port. */
    private int echoServer(String name, TlsOptions serverTls) {
        TcpServer.start(node, TcpServerSpec.of(name, 0, Handlers.Echo::new).bind(InetAddress.getLoopbackAddress())
                .options(options().tls(serverTls)));
        return TcpServer.port(node, name);
    }

    /** A server whose handlers tell {@code probe} their socket and forward it what they get; its port. */
    private int forwardingServer(String name, Mailbox probe, TcpOptions options) {
        TcpServer.start(node, TcpServerSpec.of(name, 0, s -> new Handlers.Forward(s, probe.pid()))
                .bind(InetAddress.getLoopbackAddress()).options(options));
        return TcpServer.port(node, name);
    }

    private static SSLSocket jdkClient(int port, Identity id) throws IOException {
        return certs.jdkClient(port, id, WAIT);
    }

    @Test
    void anEchoServerAnswersTheJdksTlsClient() throws Exception {
        int port = echoServer("tls_echo", tls(certs.server));
        try (SSLSocket s = jdkClient(port, certs.client)) {
            for (String text : new String[] {"hello over TLS", "x".repeat(40_000)}) {
                byte[] sent = text.getBytes(StandardCharsets.UTF_8);
                s.getOutputStream().write(sent);
                s.getOutputStream().flush();
                assertThat(s.getInputStream().readNBytes(sent.length)).isEqualTo(sent);
            }
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(s.getSession().getPeerPrincipal().getName()).isEqualTo("CN=server");
        }
    }

    @Test
    void aServerLimitedToTls12SpeaksItAndEchoes() throws Exception {
        int port = echoServer("tls12_echo", tls(certs.server).versions("TLSv1.2"));
        try (SSLSocket s = jdkClient(port, certs.client)) {
            byte[] sent = "hello over TLS 1.2".getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write(sent);
            s.getOutputStream().flush();
            assertThat(s.getInputStream().readNBytes(sent.length)).isEqualTo(sent);
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void anEchoServerAnswersOpensslsClient() throws Exception {
        int port = echoServer("tls_echo_openssl", tls(certs.server));
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-quiet",
                "-verify_return_error", "-verify_hostname", "localhost", "-CAfile", certs.pki.caBundle().toString(),
                "-cert", certs.client.certificate().toString(), "-key", certs.client.key().toString())
                .redirectError(dir.resolve("s_client.err").toFile()).start();
        try {
            p.getOutputStream().write("ping from openssl\n".getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().flush();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.US_ASCII));
            String echoed = CompletableFuture.supplyAsync(() -> readLine(out)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(echoed).as("what s_client printed (its errors: %s)", dir.resolve("s_client.err"))
                    .isEqualTo("ping from openssl");
        } finally {
            p.destroy();
            if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    @Test
    void anErgonConnectionReachesAnErgonTlsServerWithLineFraming() throws Exception {
        int port = echoServer("tls_line_echo", tls(certs.server));
        try (Mailbox owner = node.mailbox()) {
            TcpSocket socket = TcpSocket.connect(owner, "localhost", port, options().tls(tls(certs.client))
                    .packet(Packet.line()).active(Active.always()), WAIT);
            socket.send("first line\nsecond ");
            socket.send("line\n");
            assertThat(((TcpData) owner.receive(WAIT)).text()).isEqualTo("first line\n");
            assertThat(((TcpData) owner.receive(WAIT)).text()).isEqualTo("second line\n");
            socket.close();
            assertThat(owner.receive(Duration.ofMillis(200))).as("no TcpClosed for the owner's own close").isNull();
        }
    }

    @Test
    void aPassiveTlsConnectionReadsWithRecvAndCountsWithActiveN() throws Exception {
        int port = echoServer("tls_modes_echo", tls(certs.server));
        try (Mailbox owner = node.mailbox()) {
            TcpSocket socket = TcpSocket.connect(owner, "localhost", port, options().tls(tls(certs.client))
                    .packet(Packet.line()), WAIT);
            socket.send("one\ntwo\nthree\nfour\n");
            assertThat(new String(socket.recv(WAIT), StandardCharsets.UTF_8)).isEqualTo("one\n");
            assertThat(owner.receive(Duration.ofMillis(100))).as("passive: nothing comes by itself").isNull();
            socket.setActive(Active.times(2));
            assertThat(((TcpData) owner.receive(WAIT)).text()).isEqualTo("two\n");
            assertThat(((TcpData) owner.receive(WAIT)).text()).isEqualTo("three\n");
            assertThat(owner.receive(WAIT)).isEqualTo(new TcpPassive(socket));
            assertThat(new String(socket.recv(WAIT), StandardCharsets.UTF_8)).isEqualTo("four\n");
            socket.close();
        }
    }

    @Test
    void aKeyUpdateMidConnectionIsAnsweredAndTheEchoGoesOn() throws Exception {
        int port = echoServer("tls_key_update", tls(certs.server));
        // interactive s_client (no -quiet): a line "K" sends a TLS 1.3 KeyUpdate that asks the server for its own;
        // -msg prints each TLS message it sends and receives, the server's KeyUpdate among them
        Path output = dir.resolve("s_client_k.out");
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_3", "-msg",
                "-verify_return_error", "-CAfile", certs.pki.caBundle().toString(), "-cert",
                certs.client.certificate().toString(), "-key", certs.client.key().toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            OutputStream in = p.getOutputStream();
            in.write("before\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            awaitLine(output, "before");
            in.write("K\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            awaitLine(output, "<<< TLS 1.3, Handshake [length 0005], KeyUpdate");
            in.write("after\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            awaitLine(output, "after");
        } finally {
            p.destroy();
            if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertThat(Files.readString(output)).doesNotContain("Alert");
    }

    /** Waits until {@code file} has the line {@code expected}. */
    private static void awaitLine(Path file, String expected) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(Files.readAllLines(file, StandardCharsets.ISO_8859_1)).as("s_client's output")
                        .contains(expected));
    }

    @Test
    void anErgonConnectionRefusesAServerItDoesNotTrustSayingWhy() throws Exception {
        int port = echoServer("tls_untrusted_server", tls(certs.stranger).caBundle(certs.pki.otherCaBundle())
                .verifyPeer(false));
        try (Mailbox owner = node.mailbox()) {
            assertThatThrownBy(() -> TcpSocket.connect(owner, "localhost", port,
                    options().tls(tls(certs.client)), WAIT))
                    .isInstanceOfSatisfying(IoError.class, e -> {
                        assertThat(e.reason()).isInstanceOf(Tuple.class);
                        Tuple reason = (Tuple) e.reason();
                        assertThat(reason.get(0)).isEqualTo(Atom.of("tls_alert"));
                        assertThat(((Tuple) reason.get(1)).get(0)).isEqualTo(Atom.of("unknown_ca"));
                    });
            // a certificate that does not name the host connected to: refused as well
            assertThatThrownBy(() -> TcpSocket.connect(owner, "127.0.0.1", echoServer("tls_misnamed",
                    tls(certs.client)), options().tls(tls(certs.client)), WAIT))
                    .isInstanceOfSatisfying(IoError.class, e -> assertThat(e.getMessage())
                            .contains("bad_certificate").contains("127.0.0.1"));
        }
    }

    @Test
    void aClientItDoesNotTrustIsRefusedAndTheServerServesOthers() throws Exception {
        try (Mailbox probe = node.mailbox()) {
            int port = forwardingServer("tls_picky", probe,
                    options().tls(tls(certs.server)).active(Active.once()));
            assertThatThrownBy(() -> {
                try (SSLSocket s = jdkClient(port, certs.stranger)) {
                    s.getOutputStream().write(1); // TLS 1.3: a client learns of its refusal when it uses the socket
                    s.getOutputStream().flush();
                    s.getInputStream().read();
                }
            }).isInstanceOfAny(SSLException.class, SocketException.class);
            Handlers.Started refused = (Handlers.Started) probe.receive(m -> m instanceof Handlers.Started, WAIT);
            TcpError error = (TcpError) probe.receive(m -> m instanceof TcpError, WAIT);
            assertThat(error.socket()).isSameAs(refused.socket());
            assertThat(error.reason()).isEqualTo(Tuple.of(Atom.of("tls_alert"), Tuple.of(Atom.of("unknown_ca"),
                    ((Tuple) ((Tuple) error.reason()).get(1)).get(1))));
            assertThat(probe.receive(m -> m instanceof TcpClosed, WAIT)).isEqualTo(new TcpClosed(refused.socket()));

            try (SSLSocket s = jdkClient(port, certs.client)) {
                Handlers.Started served = (Handlers.Started) probe.receive(m -> m instanceof Handlers.Started, WAIT);
                s.getOutputStream().write("still here".getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                TcpData data = (TcpData) probe.receive(m -> m instanceof TcpData, WAIT);
                assertThat(data.socket()).isSameAs(served.socket());
                assertThat(data.text()).isEqualTo("still here");
            }
        }
    }

    @Test
    void anErgonClientTheServerDoesNotTrustLearnsWhyFromTheServersAlert() throws Exception {
        int port = echoServer("tls_refuses_ergon", tls(certs.server));
        try (Mailbox owner = node.mailbox()) {
            // TLS 1.3: the client is done before the server has checked its certificate, so the refusal may come
            // after connect returned, as the socket's error; TLS 1.2 refuses within connect
            Object reason;
            try {
                TcpSocket socket = TcpSocket.connect(owner, "localhost", port,
                        options().tls(tls(certs.stranger)).active(Active.once()), WAIT);
                reason = ((TcpError) owner.receive(m -> m instanceof TcpError, WAIT)).reason();
                assertThat(owner.receive(m -> m instanceof TcpClosed, WAIT)).isEqualTo(new TcpClosed(socket));
            } catch (IoError e) {
                reason = e.reason();
            }
            assertThat(reason).isInstanceOf(Tuple.class);
            assertThat(((Tuple) reason).get(0)).isEqualTo(Atom.of("tls_alert"));
            assertThat(((Tuple) ((Tuple) reason).get(1)).get(0)).as("the server's alert, as %s", reason)
                    .isIn(Atom.of("unknown_ca"), Atom.of("certificate_unknown"), Atom.of("bad_certificate"));
        }
    }

    @Test
    void aClientWithoutACertificateIsRefusedWhereTheServerVerifiesPeersAndServedWhereItDoesNot() throws Exception {
        // a client that trusts the CA and has no certificate of its own
        TlsOptions anonymous = TlsOptions.off().enabled(true).caBundle(certs.pki.caBundle());
        try (Mailbox probe = node.mailbox()) {
            int strict = forwardingServer("tls_strict", probe, options().tls(tls(certs.server)));
            assertThatThrownBy(() -> {
                try (SSLSocket s = (SSLSocket) anonymous.sslContext().getSocketFactory().createSocket("localhost",
                        strict)) {
                    s.setSoTimeout((int) WAIT.toMillis());
                    s.startHandshake();
                    s.getOutputStream().write(1);
                    s.getOutputStream().flush();
                    s.getInputStream().read();
                }
            }).isInstanceOfAny(SSLException.class, SocketException.class);
            TcpError error = (TcpError) probe.receive(m -> m instanceof TcpError, WAIT);
            assertThat(((Tuple) ((Tuple) error.reason()).get(1)).get(0)).isEqualTo(Atom.of("certificate_required"));

            int lenient = echoServer("tls_lenient", tls(certs.server).verifyPeer(false));
            try (SSLSocket s = (SSLSocket) anonymous.sslContext().getSocketFactory().createSocket("localhost",
                    lenient)) {
                s.setSoTimeout((int) WAIT.toMillis());
                s.getOutputStream().write("anyone".getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                assertThat(s.getInputStream().readNBytes(6)).isEqualTo("anyone".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aServerWhoseCertificateCannotBeReadFailsToStartNamingTheFile() {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> TcpServer.start(node, TcpServerSpec.of("tls_broken", 0, Handlers.Echo::new)
                .bind(InetAddress.getLoopbackAddress())
                .tls(TlsOptions.pem(missing, certs.server.key(), certs.pki.caBundle()))))
                .hasStackTraceContaining(missing.toString());
    }

    @Test
    void aConnectionThatNeverHandshakesIsClosedAtTheDeadline() throws Exception {
        Duration deadline = Duration.ofMillis(500);
        try (Mailbox probe = node.mailbox()) {
            int port = forwardingServer("tls_deadline", probe,
                    options().tls(tls(certs.server)).handshakeTimeout(deadline));
            try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), port)) {
                long start = System.nanoTime();
                silent.setSoTimeout((int) WAIT.toMillis());
                // the server may say goodbye (a TLS alert record) before it closes
                byte[] before = readToEnd(silent.getInputStream());
                long waited = System.nanoTime() - start;
                assertThat(before.length).as("the server closed the silent connection, after at most an alert")
                        .isLessThan(64);
                assertThat(Duration.ofNanos(waited)).as("not before the deadline").isGreaterThanOrEqualTo(
                        deadline.minusMillis(50));
                Handlers.Started started = (Handlers.Started) probe.receive(m -> m instanceof Handlers.Started, WAIT);
                assertThat(probe.receive(m -> m instanceof TcpError, WAIT))
                        .isEqualTo(new TcpError(started.socket(), IoError.TIMEOUT));
                assertThat(probe.receive(m -> m instanceof TcpClosed, WAIT)).isEqualTo(new TcpClosed(started.socket()));
            }
            try (SSLSocket s = jdkClient(port, certs.client)) {
                assertThat(s.getSession().isValid()).as("the server still handshakes with others").isTrue();
            }
        }
    }

    /** What comes until the end of the stream or a reset (both are the server's close). */
    private static byte[] readToEnd(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        byte[] b = new byte[256];
        try {
            for (int n; (n = in.read(b)) >= 0 && got.size() < 4096; ) {
                got.write(b, 0, n);
            }
        } catch (SocketException reset) {
            // closed
        }
        return got.toByteArray();
    }

    /** The next byte, or -1 at the end of the stream or on a reset (both are the server's close). */
    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    @Test
    void lengthFramingWorksOverTlsAcrossRecordsAndWithinOne() throws Exception {
        try (Mailbox probe = node.mailbox()) {
            int port = forwardingServer("tls_framing", probe,
                    options().tls(tls(certs.server)).packet(Packet.length(4)).active(Active.always()));
            try (SSLSocket s = jdkClient(port, certs.client)) {
                Handlers.Started started = (Handlers.Started) probe.receive(m -> m instanceof Handlers.Started, WAIT);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                byte[] big = "0123456789".repeat(5_000).getBytes(StandardCharsets.US_ASCII);
                // a header and its body over several TLS records (one per flush), then two packets in one record
                out.writeInt(big.length);
                out.flush();
                for (int i = 0; i < big.length; i += 7_000) {
                    out.write(big, i, Math.min(7_000, big.length - i));
                    out.flush();
                }
                out.write(new byte[] {0, 0, 0, 3, 'o', 'n', 'e', 0, 0, 0, 3, 't', 'w', 'o'});
                out.flush();
                assertThat(((TcpData) probe.receive(m -> m instanceof TcpData, WAIT)).data()).isEqualTo(big);
                assertThat(((TcpData) probe.receive(m -> m instanceof TcpData, WAIT)).text()).isEqualTo("one");
                assertThat(((TcpData) probe.receive(m -> m instanceof TcpData, WAIT)).text()).isEqualTo("two");

                started.socket().send("back"); // framed by the server's socket: a 4-byte length first
                byte[] back = s.getInputStream().readNBytes(8);
                assertThat(back).isEqualTo(new byte[] {0, 0, 0, 4, 'b', 'a', 'c', 'k'});
            }
            assertThat(probe.receive(m -> m instanceof TcpClosed, WAIT)).isInstanceOf(TcpClosed.class);
        }
    }

    @Test
    void aHandlerThatCrashesClosesItsTlsConnection() throws Exception {
        int port = echoServer("tls_crash", tls(certs.server));
        try (SSLSocket s = jdkClient(port, certs.client)) {
            OutputStream out = s.getOutputStream();
            out.write("crash now".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(readOrReset(s.getInputStream())).as("the connection ends with its handler").isEqualTo(-1);
        }
    }
}
