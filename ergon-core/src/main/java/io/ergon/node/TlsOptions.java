package io.ergon.node;

import io.ergon.node.internal.TlsContexts;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.TermParser;
import io.ergon.term.TermSyntaxException;
import io.ergon.term.Terms;
import io.ergon.term.Tuple;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

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

    /** The options of an {@code ssl_dist_optfile} that Ergon reads. */
    private static final Set<String> OPTFILE_READ = Set.of("certfile", "keyfile", "password", "cacertfile", "verify",
            "fail_if_no_peer_cert", "versions", "server_name_indication");
    /** Options that change nothing Ergon could do differently: accepted and left aside. */
    private static final Set<String> OPTFILE_IGNORED = Set.of("secure_renegotiate", "reuse_sessions", "depth",
            "honor_cipher_order", "log_level", "log_alert", "hibernate_after", "keep_secrets", "session_tickets");

    /**
     * TLS on, with the settings of an Erlang {@code ssl_dist_optfile} (what {@code erl -proto_dist inet_tls
     * -ssl_dist_optfile FILE} reads: {@code [{server, Opts}, {client, Opts}].}), so that one file serves Erlang and
     * Ergon nodes alike. Ergon reads {@code certfile}, {@code keyfile}, {@code password}, {@code cacertfile},
     * {@code verify}, {@code fail_if_no_peer_cert}, {@code versions} and {@code server_name_indication} (only
     * {@code disable}), and leaves aside options that do not change what it does ({@code secure_renegotiate},
     * {@code reuse_sessions}, {@code depth}, ...). Ergon has one identity and one policy for both roles, so the
     * server's and the client's settings must agree where both give them, and one role's setting holds for both:
     * {@code {verify, verify_peer}} in either makes Ergon verify peers in both (and demand a certificate as
     * {@code fail_if_no_peer_cert} does); Erlang's defaults, when neither gives {@code verify}, are
     * {@code verify_none}, and so is Ergon's reading of such a file.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file and the option, for a term that is not an optfile, an option
     *     Ergon does not support ({@code ciphers}, {@code crl_check}, {@code verify_fun}, ...), or roles that
     *     disagree (two certificates, {@code verify_peer} on one side only)
     */
    public static TlsOptions fromErlangOptFile(Path file) throws IOException {
        Object term;
        try {
            term = TermParser.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (TermSyntaxException e) {
            throw new IllegalArgumentException(file + ": not an Erlang term: " + e.getMessage(), e);
        }
        Map<String, Map<String, Object>> roles = new LinkedHashMap<>();
        if (!(term instanceof List<?> list)) {
            throw new IllegalArgumentException(file + ": expected [{server, [...]}, {client, [...]}]");
        }
        for (Object entry : list) {
            if (!(entry instanceof Tuple t) || t.size() != 2 || !(t.get(0) instanceof Atom role)
                    || !(role.name().equals("server") || role.name().equals("client"))
                    || !(t.get(1) instanceof List<?> options)) {
                throw new IllegalArgumentException(file + ": expected {server, [...]} or {client, [...]}, found "
                        + entry);
            }
            Map<String, Object> opts = roles.computeIfAbsent(role.name(), r -> new LinkedHashMap<>());
            for (Object o : options) {
                if (!(o instanceof Tuple ot) || ot.size() != 2 || !(ot.get(0) instanceof Atom key)) {
                    throw new IllegalArgumentException(file + ": expected {Option, Value} in " + role.name()
                            + ", found " + o);
                }
                if (OPTFILE_READ.contains(key.name())) {
                    opts.put(key.name(), ot.get(1));
                } else if (!OPTFILE_IGNORED.contains(key.name())) {
                    throw new IllegalArgumentException(file + ": Ergon does not support the ssl option "
                            + key.name() + " (in " + role.name() + "); it reads " + OPTFILE_READ);
                }
            }
        }
        Map<String, Object> server = roles.getOrDefault("server", Map.of());
        Map<String, Object> client = roles.getOrDefault("client", Map.of());
        TlsOptions o = OFF.enabled(true);
        String cert = agreed(file, server, client, "certfile");
        if (cert != null) {
            o = o.certificate(Path.of(cert));
        }
        String key = agreed(file, server, client, "keyfile");
        if (key != null) {
            o = o.key(Path.of(key));
        }
        String password = agreed(file, server, client, "password");
        if (password != null) {
            o = o.keyPassword(password);
        }
        String ca = agreed(file, server, client, "cacertfile");
        if (ca != null) {
            o = o.caBundle(Path.of(ca));
        }
        String verify = agreed(file, server, client, "verify");
        boolean verifyPeer = "verify_peer".equals(verify);
        if (verify != null && !verifyPeer && !verify.equals("verify_none")) {
            throw new IllegalArgumentException(file + ": verify is verify_peer or verify_none, not " + verify);
        }
        o = o.verifyPeer(verifyPeer);
        Object sni = client.get("server_name_indication");
        if (sni != null) {
            if (!(sni instanceof Atom a && a.name().equals("disable"))) {
                throw new IllegalArgumentException(file + ": Ergon supports {server_name_indication, disable} only "
                        + "(it checks the host of the peer's node name otherwise), not " + sni);
            }
            o = o.checkHostname(false);
        }
        Object versions = server.containsKey("versions") ? server.get("versions") : client.get("versions");
        if (versions != null) {
            if (!(versions instanceof List<?> vs)) {
                throw new IllegalArgumentException(file + ": versions is a list of atoms, not " + versions);
            }
            List<String> names = new ArrayList<>();
            for (Object v : vs) {
                names.add(v instanceof Atom a ? a.name() : String.valueOf(v));
            }
            try {
                o = o.versions(names);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }
        return o;
    }

    /** The option's text in both roles, which must agree where both give it; null if neither does. */
    private static String agreed(Path file, Map<String, Object> server, Map<String, Object> client, String key) {
        String s = text(file, key, server.get(key));
        String c = text(file, key, client.get(key));
        if (s != null && c != null && !s.equals(c)) {
            throw new IllegalArgumentException(file + ": " + key + " differs between server (" + s + ") and client ("
                    + c + "); Ergon uses one for both roles");
        }
        return s != null ? s : c;
    }

    private static String text(Path file, String key, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Atom a) {
            return a.name();
        }
        if (value instanceof Binary b) {
            return b.utf8();
        }
        return Terms.asString(value).orElseThrow(() -> new IllegalArgumentException(file + ": " + key
                + " is a string, not " + value));
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

    /**
     * The JDK's TLS context these options describe, for a TLS user other than the distribution (ergon-io's TCP
     * sockets take a {@code TlsOptions} and build theirs here, so that the node's certificates work there
     * unchanged): the certificate chain and key (none offered if no certificate is set), and trust in the CA bundle
     * if {@link #verifyPeer} (in anyone if not). The files are read at each call. What the options say beyond the
     * context (the versions, whether the accepting side demands a certificate, the host name check) is for the
     * caller to apply to each connection, as {@link #versions()}, {@link #verifyPeer()} and {@link #checkHostname()}
     * say.
     *
     * @throws IOException naming the file and the problem: missing, unreadable, a key that does not match the
     *     certificate, or {@link #verifyPeer} without a CA bundle
     */
    public SSLContext sslContext() throws IOException {
        return TlsContexts.build(this);
    }

    /**
     * Sets on {@code parameters} (a TLS socket's or engine's) what these options say for one connection, as the
     * distribution applies them: the {@link #versions}; on the accepting side ({@code peerHost} null) a demand for
     * the client's certificate if {@link #verifyPeer}; on the connecting side, if {@link #verifyPeer} and
     * {@link #checkHostname}, the check that the server's certificate names {@code peerHost}, and for a host name
     * (not an address) the server name indication.
     *
     * @return {@code parameters}
     */
    public SSLParameters applyTo(SSLParameters parameters, String peerHost) {
        return TlsContexts.parameters(this, parameters, peerHost);
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
