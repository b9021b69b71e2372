package io.ergon.node.internal;

import io.ergon.node.TlsOptions;
import java.io.IOException;
import java.net.Socket;
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
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the JDK's {@link SSLContext} from a {@link TlsOptions}: the certificate chain and private key from their PEM
 * files (checked to belong together), trust in the CA bundle when peers are verified, or in anyone when not
 * (Erlang's {@code verify_none}). One builder for every TLS user (the node's distribution, ergon-io's sockets), so
 * that the same files mean the same thing everywhere. Stateless.
 */
public final class TlsContexts {
    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

    private TlsContexts() {
    }

    /**
     * The context {@code options} describe; with no certificate set it offers no identity (a client of servers that
     * do not ask for one).
     *
     * @throws IOException naming the file and the problem: missing, unreadable, a key that does not match the
     *     certificate, or peers to verify and no CA bundle
     */
    public static SSLContext build(TlsOptions options) throws IOException {
        if (options.verifyPeer() && options.caBundle() == null) {
            throw new IOException("TLS verifies peers but no CA bundle is set (TlsOptions.caBundle, "
                    + "ergon.tls-cacertfile); set one, or turn verifyPeer off (not recommended)");
        }
        try {
            KeyManager[] identity = null;
            if (options.certificate() != null) {
                List<X509Certificate> chain = Pem.certificates(options.certificate());
                PrivateKey key = Pem.privateKey(options.key() != null ? options.key() : options.certificate(),
                        options.keyPassword());
                checkKeyMatches(key, chain.get(0), options);
                warnIfNotValidNow(chain.get(0), options);
                char[] storePassword = new char[0];
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("node", key, storePassword, chain.toArray(X509Certificate[]::new));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
                kmf.init(keys, storePassword);
                identity = new KeyManager[] {new AnyIssuer((X509ExtendedKeyManager) kmf.getKeyManagers()[0])};
            }
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
            context.init(identity, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set TLS up with " + options + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sets on {@code p} what {@code options} say for one connection: the versions; for the accepting side
     * ({@code peerHost} null) whether it demands the client's certificate; for the connecting side the check that
     * the server's certificate names {@code peerHost}, and the server name indication for a host name.
     */
    public static SSLParameters parameters(TlsOptions options, SSLParameters p, String peerHost) {
        p.setProtocols(options.versions().toArray(String[]::new));
        if (peerHost == null) {
            p.setNeedClientAuth(options.verifyPeer());
            return p;
        }
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
        return p;
    }

    private static boolean isAddressLiteral(String host) {
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

    private static void warnIfNotValidNow(X509Certificate cert, TlsOptions options) {
        try {
            cert.checkValidity();
        } catch (CertificateExpiredException e) {
            LOG.warn("the TLS certificate {} ({}) expired on {}: peers that verify it will refuse it",
                    options.certificate(), cert.getSubjectX500Principal(), cert.getNotAfter());
        } catch (CertificateNotYetValidException e) {
            LOG.warn("the TLS certificate {} ({}) is not valid before {}: peers that verify it will refuse it",
                    options.certificate(), cert.getSubjectX500Principal(), cert.getNotBefore());
        }
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
