package io.ergon.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * TLS for a node's distribution, as Erlang's {@code -proto_dist inet_tls}: every connection, accepted or made, is
 * wrapped in TLS from its first byte, and the distribution handshake and traffic run inside it. EPMD stays as it is
 * (the port it gives is the TLS listener's). Immutable: each method returns a changed copy.
 *
 * <p>{@link #off()} (the default of {@link NodeOptions}) is plain TCP. {@link #pem(Path, Path, Path)} turns TLS on
 * with the node's certificate, its private key and the CA bundle its peers' certificates must chain to, all PEM files
 * as Erlang users have them ({@code certfile}, {@code keyfile}, {@code cacertfile} of an {@code ssl_dist_optfile}).
 * The defaults are the safe ones: each side verifies the other's certificate (mutual authentication, Erlang's
 * {@code verify_peer} with {@code fail_if_no_peer_cert}), the side that connects checks that the certificate of the
 * node it reaches names that node's host (the part of its name after {@code @}, as Erlang's
 * {@code server_name_indication} default does), and TLS 1.3 and 1.2 are allowed.
 *
 * <p>The files are read when the node starts: a missing file, a PEM block Ergon cannot read, a key that does not
 * match the certificate, or TLS on without a certificate makes {@link Node#start} fail with a message naming the
 * file and the problem.
 */
public final class TlsOptions {
    /** The TLS versions Ergon speaks, newest first, in the JDK's spelling. */
    public static final List<String> VERSIONS = List.of("TLSv1.3", "TLSv1.2");

    private static final TlsOptions OFF = new TlsOptions(false, null, null, null, null, true, true, VERSIONS);

    private final boolean enabled;
    private final Path certificate;
    private final Path key;
    private final String keyPassword;
    private final Path caBundle;
    private final boolean verifyPeer;
    private final boolean checkHostname;
    private final List<String> versions;

    private TlsOptions(boolean enabled, Path certificate, Path key, String keyPassword, Path caBundle,
                       boolean verifyPeer, boolean checkHostname, List<String> versions) {
        this.enabled = enabled;
        this.certificate = certificate;
        this.key = key;
        this.keyPassword = keyPassword;
        this.caBundle = caBundle;
        this.verifyPeer = verifyPeer;
        this.checkHostname = checkHostname;
        this.versions = versions;
    }

    /** Plain TCP: no TLS (the default). */
    public static TlsOptions off() {
        return OFF;
    }

    /**
     * TLS on, with the node's certificate (a PEM file: the certificate first, then any intermediates), its private
     * key (a PEM file: PKCS#8 {@code PRIVATE KEY}, {@code ENCRYPTED PRIVATE KEY} with {@link #keyPassword},
     * PKCS#1 {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}; null if it is in the certificate's file), and
     * the CA certificates that peers' certificates must chain to (a PEM bundle).
     */
    public static TlsOptions pem(Path certificate, Path key, Path caBundle) {
        return OFF.enabled(true).certificate(certificate).key(key).caBundle(caBundle);
    }

    /** Turns TLS on or off, keeping the other settings. */
    public TlsOptions enabled(boolean on) {
        return new TlsOptions(on, certificate, key, keyPassword, caBundle, verifyPeer, checkHostname, versions);
    }

    /** The node's certificate chain, a PEM file (Erlang's {@code certfile}). */
    public TlsOptions certificate(Path file) {
        return new TlsOptions(enabled, file, key, keyPassword, caBundle, verifyPeer, checkHostname, versions);
    }

    /** The node's private key, a PEM file (Erlang's {@code keyfile}); null: it is in the certificate's file. */
    public TlsOptions key(Path file) {
        return new TlsOptions(enabled, certificate, file, keyPassword, caBundle, verifyPeer, checkHostname, versions);
    }

    /** The password of an {@code ENCRYPTED PRIVATE KEY} (Erlang's {@code password}); null if it is not encrypted. */
    public TlsOptions keyPassword(String password) {
        return new TlsOptions(enabled, certificate, key, password, caBundle, verifyPeer, checkHostname, versions);
    }

    /** The CA certificates peers' certificates must chain to, a PEM bundle (Erlang's {@code cacertfile}). */
    public TlsOptions caBundle(Path file) {
        return new TlsOptions(enabled, certificate, key, keyPassword, file, verifyPeer, checkHostname, versions);
    }

    /**
     * Whether each side verifies the other's certificate against the CA bundle, and the accepting side demands one
     * (default true: Erlang's {@code {verify, verify_peer}} and {@code {fail_if_no_peer_cert, true}}). False is
     * Erlang's {@code verify_none}: traffic is encrypted, but any peer that knows the cookie gets in, and a man in
     * the middle goes unnoticed.
     */
    public TlsOptions verifyPeer(boolean on) {
        return new TlsOptions(enabled, certificate, key, keyPassword, caBundle, on, checkHostname, versions);
    }

    /**
     * Whether the connecting side checks that the peer's certificate names the host of the peer's node name (its
     * subject alternative names: {@code DNS:host}, or {@code IP:address} for a name such as
     * {@code app@10.0.0.5}), as Erlang does when it verifies a server (its {@code server_name_indication} is that host)
     * (default true; only with {@link #verifyPeer}). False is Erlang's {@code {server_name_indication, disable}}.
     */
    public TlsOptions checkHostname(boolean on) {
        return new TlsOptions(enabled, certificate, key, keyPassword, caBundle, verifyPeer, on, versions);
    }

    /**
     * The TLS versions allowed, from {@code TLSv1.3} and {@code TLSv1.2} (also spelt {@code 1.3}, {@code tlsv1.3}
     * as Erlang does); both by default.
     *
     * @throws IllegalArgumentException for another version, or none
     */
    public TlsOptions versions(String... versions) {
        return versions(List.of(versions));
    }

    /** {@link #versions(String...)} from a list. */
    public TlsOptions versions(List<String> versions) {
        List<String> normal = new ArrayList<>();
        for (String v : versions) {
            String n = normaliseVersion(v);
            if (!normal.contains(n)) {
                normal.add(n);
            }
        }
        if (normal.isEmpty()) {
            throw new IllegalArgumentException("no TLS version: give TLSv1.3, TLSv1.2 or both");
        }
        normal.sort((a, b) -> Integer.compare(VERSIONS.indexOf(a), VERSIONS.indexOf(b)));
        return new TlsOptions(enabled, certificate, key, keyPassword, caBundle, verifyPeer, checkHostname,
                List.copyOf(normal));
    }

    private static String normaliseVersion(String v) {
        String s = Objects.requireNonNull(v, "version").strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "tlsv1.3", "1.3", "tls1.3" -> "TLSv1.3";
            case "tlsv1.2", "1.2", "tls1.2" -> "TLSv1.2";
            default -> throw new IllegalArgumentException("TLS version '" + v + "' is not one Ergon's distribution "
                    + "speaks: give TLSv1.3 and/or TLSv1.2");
        };
    }

    public boolean enabled() {
        return enabled;
    }

    public Path certificate() {
        return certificate;
    }

    public Path key() {
        return key;
    }

    public String keyPassword() {
        return keyPassword;
    }

    public Path caBundle() {
        return caBundle;
    }

    public boolean verifyPeer() {
        return verifyPeer;
    }

    public boolean checkHostname() {
        return checkHostname;
    }

    public List<String> versions() {
        return versions;
    }

    /** Hides the key's password. */
    @Override
    public String toString() {
        if (!enabled) {
            return "TlsOptions[off]";
        }
        return "TlsOptions[certificate=" + certificate + ", key=" + (key == null ? "in the certificate's file" : key)
                + (keyPassword == null ? "" : " (encrypted)") + ", caBundle=" + caBundle + ", verifyPeer="
                + verifyPeer + ", checkHostname=" + checkHostname + ", versions=" + versions + "]";
    }
}
