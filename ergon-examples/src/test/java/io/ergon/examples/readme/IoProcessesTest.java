package io.ergon.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.TlsOptions;
import io.ergon.testkit.TestPki;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's echo server, with a plain socket as its client; its TLS echo server, with its TLS client. */
class IoProcessesTest {
    @Test
    void theReadmesEchoServerEchoesLines() throws Exception {
        try (Node node = Node.start("readme_io@localhost")) {
            int port = IoProcesses.start(node);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("one\ntwo\n".getBytes(StandardCharsets.UTF_8));
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("one");
                assertThat(in.readLine()).isEqualTo("two");
            }
        }
    }

    @Test
    void theReadmesTlsClientGetsItsLineBackFromTheReadmesTlsServer(@TempDir Path dir) throws Exception {
        TestPki.assumeAvailable();
        TestPki pki = TestPki.create(dir);
        TestPki.Identity server = pki.issue("server", TestPki.KeyKind.EC_PKCS8, false, false, "DNS:localhost");
        TestPki.Identity client = pki.issue("client", TestPki.KeyKind.EC_PKCS8, false, false, "DNS:client");
        try (Node node = Node.start("readme_io_tls@localhost"); Mailbox process = node.mailbox()) {
            int port = IoProcesses.startTls(node, server.certificate(), server.key(), pki.caBundle());
            TlsOptions tls = TlsOptions.pem(client.certificate(), client.key(), pki.caBundle());
            assertThat(IoProcesses.askTls(process, "localhost", port, tls)).isEqualTo("hello\n");
        }
    }
}
