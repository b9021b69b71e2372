package io.ergon.io.tcp;

import io.ergon.node.TlsOptions;
import io.ergon.testkit.TestPki;
import io.ergon.testkit.TestPki.Identity;
import io.ergon.testkit.TestPki.KeyKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Certificates for the TLS tests, made by openssl as the distribution's tests make theirs ({@link TestPki}): a
 * server's (for localhost and 127.0.0.1) and a client's from the trusted CA, and a stranger's from another CA; and
 * the JDK's TLS client.
 */
final class TlsFixture {
    final TestPki pki;
    final Identity server;
    final Identity client;
    final Identity stranger;
    /** Each identity's client context, built once: a test may make many connections. */
    private final Map<Identity, SSLContext> contexts = new ConcurrentHashMap<>();

    private TlsFixture(TestPki pki) throws IOException {
        this.pki = pki;
        this.server = pki.issue("server", KeyKind.RSA_PKCS8, false, false, "DNS:localhost,IP:127.0.0.1");
        this.client = pki.issue("client", KeyKind.EC_PKCS8, false, false, "DNS:client");
        this.stranger = pki.issue("stranger", KeyKind.RSA_PKCS8, true, false, "DNS:localhost,IP:127.0.0.1");
    }

    /** The certificates, in {@code dir}; skips the calling test when openssl is missing. */
    static TlsFixture create(Path dir) throws IOException {
        TestPki.assumeAvailable();
        return new TlsFixture(TestPki.create(dir));
    }

    /** TLS as {@code id}, trusting the trusted CA, verifying peers (the defaults). */
    TlsOptions tls(Identity id) {
        return TlsOptions.pem(id.certificate(), id.key(), pki.caBundle());
    }

    /** The JDK's TLS client, as {@code id}, to localhost:{@code port}, checking the server's name; handshaken. */
    SSLSocket jdkClient(int port, Identity id, Duration timeout) throws IOException {
        SSLContext context = contexts.get(id);
        if (context == null) {
            context = tls(id).sslContext();
            contexts.put(id, context);
        }
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.setSoTimeout((int) timeout.toMillis());
        s.startHandshake();
        return s;
    }
}
