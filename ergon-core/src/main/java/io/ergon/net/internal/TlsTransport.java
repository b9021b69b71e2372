package io.ergon.net.internal;

import io.ergon.node.TlsOptions;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS distribution, as Erlang's {@code inet_tls_dist}: each TCP connection is wrapped in the JDK's {@link SSLSocket}
 * before any other byte, the distribution handshake then runs inside it with 4-byte message lengths, and the
 * connection's frames after it. The {@link SSLContext} is built once, when the node starts, from the PEM files of
 * its {@link TlsOptions}; a problem with them fails the start.
 *
 * <p>Each TLS handshake must finish by the connection's setup deadline, however slowly the peer sends: a watchdog
 * closes the TCP socket at the deadline (a per-read timeout alone lets a peer that drips bytes hold a handshake open).
 */
final class TlsTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(Distribution.class);

    private final TlsOptions options;
    private final SSLContext context;
    private final String[] versions;

    private TlsTransport(TlsOptions options, SSLContext context) {
        this.options = options;
        this.context = context;
        this.versions = options.versions().toArray(String[]::new);
    }

    /**
     * Reads the certificate, key and CA bundle and builds the TLS context.
     *
     * @throws IOException naming the file and the problem: missing, unreadable, a key that does not match the
     *     certificate, no certificate or no CA bundle where one is needed
     */
    static TlsTransport create(TlsOptions options, String node) throws IOException {
        if (options.certificate() == null) {
            throw new IOException("TLS is on but no certificate is set (TlsOptions.certificate, ergon.tls-certfile)");
        }
        if (options.verifyPeer() && options.caBundle() == null) {
            throw new IOException("TLS verifies peers but no CA bundle is set (TlsOptions.caBundle, "
                    + "ergon.tls-cacertfile); set one, or turn verifyPeer off (not recommended)");
        }
        List<X509Certificate> chain = Pem.certificates(options.certificate());
        PrivateKey key = Pem.privateKey(options.key() != null ? options.key() : options.certificate(),
                options.keyPassword());
        checkKeyMatches(key, chain.get(0), options);
        warnIfNotValidNow(chain.get(0), options, node);
        try {
            char[] storePassword = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("node", key, storePassword, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(keys, storePassword);
            TrustManager[] trust;
            if (options.verifyPeer()) {
                List<X509Certificate> cas = Pem.certificates(options.caBundle());
                KeyStore anchors = KeyStore.getInstance("PKCS12");
                anchors.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    anchors.setCertificateEntry("ca-" + i, cas.get(i));
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
                tmf.init(anchors);
                trust = tmf.getTrustManagers();
            } else {
                trust = new TrustManager[] {new TrustEveryone()};
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new AnyIssuer((X509ExtendedKeyManager) kmf.getKeyManagers()[0])}, trust,
                    null);
            return new TlsTransport(options, context);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set TLS up with " + options + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Channel accepted(Socket tcp, long deadlineNanos) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(tcp, tcp.getInetAddress().getHostAddress(),
                tcp.getPort(), true);
        s.setUseClientMode(false);
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(versions);
        p.setNeedClientAuth(options.verifyPeer());
        s.setSSLParameters(p);
        handshake(s, tcp, deadlineNanos);
        return new Channel(s, tcp);
    }

    @Override
    public Channel connected(Socket tcp, String peerHost, long deadlineNanos) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(tcp, peerHost, tcp.getPort(), true);
        s.setUseClientMode(true);
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(versions);
        if (options.verifyPeer() && options.checkHostname()) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!isAddressLiteral(peerHost)) {
            try {
                p.setServerNames(List.of(new SNIHostName(peerHost)));
            } catch (IllegalArgumentException notAHostName) {
                // no SNI for it; the name check, if on, still uses peerHost
            }
        }
        s.setSSLParameters(p);
        handshake(s, tcp, deadlineNanos);
        return new Channel(s, tcp);
    }

    @Override
    public int handshakeLengthBytes() {
        return 4;
    }

    /** The TLS handshake, finished by the deadline or failed: a watchdog closes {@code tcp} when it passes. */
    private static void handshake(SSLSocket s, Socket tcp, long deadlineNanos) throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("no time left for the TLS handshake");
        }
        AtomicBoolean expired = new AtomicBoolean();
        Thread watchdog = Thread.ofVirtual().name("ergon-tls-deadline").start(() -> {
            try {
                Thread.sleep(Duration.ofNanos(left));
                expired.set(true);
                Distribution.closeQuietly(tcp);
            } catch (InterruptedException done) {
                // the handshake finished first
            }
        });
        try {
            s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left))));
            s.startHandshake();
        } catch (IOException e) {
            if (expired.get()) {
                SocketTimeoutException t = new SocketTimeoutException("the TLS handshake did not finish within the "
                        + "setup time");
                t.initCause(e);
                throw t;
            }
            throw e;
        } finally {
            watchdog.interrupt();
        }
    }

    static boolean isAddressLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static void checkKeyMatches(PrivateKey key, X509Certificate cert, TlsOptions options) throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = "ergon".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            PublicKey pub = cert.getPublicKey();
            verify.initVerify(pub);
            verify.update(probe);
            matches = verify.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new IOException("the private key " + (options.key() != null ? options.key() : "in "
                    + options.certificate()) + " does not belong to the certificate " + options.certificate() + " ("
                    + cert.getSubjectX500Principal() + ")");
        }
    }

    private static void warnIfNotValidNow(X509Certificate cert, TlsOptions options, String node) {
        try {
            cert.checkValidity();
        } catch (CertificateExpiredException e) {
            LOG.warn("{}: the node's TLS certificate {} ({}) expired on {}: peers that verify it will refuse it",
                    node, options.certificate(), cert.getSubjectX500Principal(), cert.getNotAfter());
        } catch (CertificateNotYetValidException e) {
            LOG.warn("{}: the node's TLS certificate {} ({}) is not valid before {}: peers that verify it will refuse "
                    + "it", node, options.certificate(), cert.getSubjectX500Principal(), cert.getNotBefore());
        }
    }

    @Override
    public String toString() {
        return "TLS " + options.versions();
    }

    /**
     * The node's key manager, offering its certificate to a server whatever CAs the server says it trusts, as Erlang
     * does: the JDK's would send none when its issuer is not among them, and the server would then log "no
     * certificate" where "not trusted" is the truth.
     */
    private static final class AnyIssuer extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;

        AnyIssuer(X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return keys.chooseClientAlias(keyType, null, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return keys.chooseEngineClientAlias(keyType, null, engine);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return keys.getClientAliases(keyType, issuers);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keys.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return keys.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return keys.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    /** Erlang's {@code verify_none}: any certificate will do (encryption without authentication). */
    private static final class TrustEveryone extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
