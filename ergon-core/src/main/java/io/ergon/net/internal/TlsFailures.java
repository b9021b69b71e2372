package io.ergon.net.internal;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * A failed TLS handshake in words a user can act on: which side refused what (an untrusted or expired certificate, a
 * name that does not match, no certificate, no TLS version in common), or that the peer does not speak TLS at all.
 * The JDK's exceptions say it in PKIX terms, deep in their causes; TLS alerts from the peer say it in the RFC's.
 */
final class TlsFailures {
    private static final Pattern ALERT = Pattern.compile("Received fatal alert: (\\w+)");

    private TlsFailures() {
    }

    /**
     * Why a TLS handshake failed.
     *
     * @param initiator true on the connecting side (the TLS client), false on the accepting side
     */
    static String explain(Throwable e, boolean initiator) {
        String peerCert = initiator ? "the peer's certificate" : "the connecting peer's certificate";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return "TLS: " + peerCert + " has expired (" + t.getMessage() + ")";
            }
            if (t instanceof CertificateNotYetValidException) {
                return "TLS: " + peerCert + " is not valid yet (" + t.getMessage() + ")";
            }
            if (t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return "TLS: " + peerCert + " has expired (" + v.getMessage() + ")";
            }
            if (t instanceof CertPathBuilderException) {
                return "TLS: " + peerCert + " is not trusted: it does not chain to a CA of this node's CA bundle ("
                        + t.getMessage() + ")";
            }
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof java.security.cert.CertificateException
                    && (m.startsWith("No subject alternative") || m.startsWith("No name matching"))) {
                return "TLS: " + peerCert + " does not name the host of its node name (name mismatch: " + m + ")";
            }
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        Matcher alert = ALERT.matcher(message);
        if (alert.find()) {
            return "TLS: the peer refused the handshake: " + alertText(alert.group(1)) + " (alert "
                    + alert.group(1) + ")";
        }
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("unsupported or unrecognized ssl message") || lower.contains("plaintext connection")) {
            return initiator
                    ? "TLS: the peer answered without TLS: it is a plain-TCP node (no TLS distribution)"
                    : "TLS: the connecting peer does not speak TLS: a plain-TCP node connected to this TLS node";
        }
        if (lower.contains("empty client certificate chain") || lower.contains("empty server certificate chain")) {
            return "TLS: " + (initiator ? "the peer" : "the connecting peer") + " sent no certificate, and this "
                    + "node verifies peers (TLS on without a certificate there?)";
        }
        if (lower.contains("no appropriate protocol") || lower.contains("protocol_version")
                || lower.contains("client requested protocol") || lower.contains("no negotiable")) {
            return "TLS: no TLS version (or cipher suite) in common with the peer (" + message + ")";
        }
        if (e instanceof SocketTimeoutException) {
            return initiator
                    ? "TLS: no TLS answer within the setup time: the peer may be a plain-TCP node, waiting for a "
                            + "distribution handshake it will never get (" + message + ")"
                    : "TLS: the TLS handshake did not finish within the setup time";
        }
        if (closedByPeer(e)) {
            return initiator
                    ? "TLS: the peer closed the connection during the TLS handshake: it may have refused this node's "
                            + "certificate (see its log), or be a plain-TCP node"
                    : "TLS: the connecting peer closed the connection during the TLS handshake: it may have refused "
                            + "this node's certificate (see its log), or given up";
        }
        if (e instanceof SSLException) {
            return "TLS: the handshake failed: " + message;
        }
        return "TLS: " + e;
    }

    /**
     * Why the distribution handshake failed on a TLS connection whose TLS handshake had completed: an alert the peer
     * sent (in TLS 1.3 a server judges the client's certificate after the client's side of the handshake is over,
     * so its refusal comes as an alert, or as a closed connection, when the client reads or writes next), or
     * another failure, named as it is.
     */
    static String explainAfterHandshake(Throwable e, boolean initiator) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (ALERT.matcher(message).find() || e instanceof SSLException) {
            return explain(e, initiator);
        }
        if (closedByPeer(e)) {
            return "TLS: the peer closed the connection just after the TLS handshake: it refused this node's "
                    + "certificate, most likely (see its log)";
        }
        return e.toString();
    }

    private static boolean closedByPeer(Throwable e) {
        String lower = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return e instanceof EOFException || lower.contains("remote host terminated the handshake")
                || (e instanceof SocketException && (lower.contains("reset") || lower.contains("broken pipe")));
    }

    private static String alertText(String alert) {
        return switch (alert) {
            case "certificate_expired" -> "it refused this node's certificate as expired";
            case "unknown_ca" -> "it refused this node's certificate: not signed by a CA it trusts";
            case "bad_certificate", "certificate_unknown", "unsupported_certificate" ->
                    "it refused this node's certificate (untrusted, expired or unusable: see its log)";
            case "certificate_revoked" -> "it refused this node's certificate as revoked";
            case "certificate_required" -> "it requires a certificate from this node";
            case "handshake_failure" -> "no cipher suite or parameters in common, or it refused this node";
            case "protocol_version" -> "no TLS version in common";
            case "access_denied" -> "access denied";
            case "unrecognized_name" -> "it does not answer to the host name this node asked for";
            case "unexpected_message", "decode_error" -> "it did not understand this node's TLS messages";
            default -> alert.replace('_', ' ');
        };
    }
}
