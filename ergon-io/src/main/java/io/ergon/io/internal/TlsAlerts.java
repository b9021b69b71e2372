package io.ergon.io.internal;

import io.ergon.io.IoError;
import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * A failed TLS handshake (or a TLS failure after it) as Erlang's {@code ssl} reports it, {@code {tls_alert, {Description, Text}}}: the alert's
 * name ({@code unknown_ca}, {@code certificate_expired}, {@code certificate_required}, {@code bad_certificate},
 * {@code protocol_version}, {@code handshake_failure}, ...), whichever side raised it, and the JDK's words. A failure
 * that is not TLS's (the connection reset or closed during the handshake) keeps its POSIX-style reason.
 */
final class TlsAlerts {
    static final Atom TLS_ALERT = Atom.of("tls_alert");
    /** The JDK's words for an alert it received: "Received fatal alert: unknown_ca". */
    private static final Pattern RECEIVED = Pattern.compile("Received fatal alert: (\\w+)");

    private TlsAlerts() {
    }

    /**
     * The reason for a read that failed with {@code e}: TLS's ({@code {tls_alert, ...}}) for a TLS failure, such as
     * the peer's alert after the handshake (a TLS 1.3 server refuses a client's certificate after the client is
     * done), the POSIX-style one otherwise.
     */
    static Object reasonOf(IOException e) {
        return e instanceof SSLException ? error(e).reason() : IoError.reasonOf(e);
    }

    /** The error for a handshake that failed with {@code e}. */
    static IoError error(Throwable e) {
        if (e instanceof IoError io) {
            return io;
        }
        String text = e.getMessage() == null ? e.toString() : e.getMessage();
        if (!(e instanceof SSLException)) {
            Atom reason = e instanceof IOException io ? IoError.reasonOf(io) : Atom.of("eio");
            if (e instanceof java.io.EOFException) {
                reason = IoError.CLOSED;
            }
            return new IoError(reason, "TLS handshake: " + text, e);
        }
        String description = description(e);
        return new IoError(Tuple.of(TLS_ALERT, Tuple.of(Atom.of(description), text)),
                "TLS handshake refused (" + description + "): " + text, e);
    }

    /** The alert's name for {@code e}: the peer's alert, or the one this side sends for what it found. */
    private static String description(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            Matcher received = RECEIVED.matcher(m);
            if (received.find()) {
                return received.group(1);
            }
            if (t instanceof CertificateExpiredException || t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return "certificate_expired";
            }
            if (t instanceof CertificateNotYetValidException) {
                return "certificate_expired"; // TLS has one alert for a certificate outside its validity
            }
            if (t instanceof CertPathBuilderException) {
                return "unknown_ca";
            }
            if (m.startsWith("No subject alternative") || m.startsWith("No name matching")) {
                return "bad_certificate"; // Erlang's {bad_cert, hostname_check_failed}
            }
            String lower = m.toLowerCase(Locale.ROOT);
            if (lower.contains("empty client certificate chain")) {
                return "certificate_required";
            }
            if (lower.contains("unsupported or unrecognized ssl message") || lower.contains("plaintext connection")) {
                return "unexpected_message";
            }
            if (lower.contains("no appropriate protocol") || lower.contains("protocol_version")) {
                return "protocol_version";
            }
        }
        return "handshake_failure";
    }
}
