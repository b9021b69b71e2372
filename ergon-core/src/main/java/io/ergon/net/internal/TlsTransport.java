package io.ergon.net.internal;

import io.ergon.node.TlsOptions;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * TLS distribution, as Erlang's {@code inet_tls_dist}: each TCP connection is wrapped in the JDK's {@link SSLSocket}
 * before any other byte, the distribution handshake then runs inside it with 4-byte message lengths, and the
 * connection's frames after it. The {@link SSLContext} is built once, when the node starts, from the PEM files of
 * its {@link TlsOptions} ({@link TlsOptions#sslContext()}); a problem with them fails the start.
 *
 * <p>Each TLS handshake must finish by the connection's setup deadline, however slowly the peer sends: a watchdog
 * closes the TCP socket at the deadline (a per-read timeout alone lets a peer that drips bytes hold a handshake open).
 */
final class TlsTransport implements Transport {
    private final TlsOptions options;
    private final SSLContext context;

    private TlsTransport(TlsOptions options, SSLContext context) {
        this.options = options;
        this.context = context;
    }

    /**
     * Reads the certificate, key and CA bundle and builds the TLS context.
     *
     * @throws IOException naming the file and the problem: missing, unreadable, a key that does not match the
     *     certificate, no certificate or no CA bundle where one is needed
     */
    static TlsTransport create(TlsOptions options) throws IOException {
        if (options.certificate() == null) {
            throw new IOException("TLS is on but no certificate is set (TlsOptions.certificate, ergon.tls-certfile)");
        }
        return new TlsTransport(options, options.sslContext());
    }

    @Override
    public Channel accepted(Socket tcp, long deadlineNanos) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(tcp, tcp.getInetAddress().getHostAddress(),
                tcp.getPort(), true);
        s.setUseClientMode(false);
        s.setSSLParameters(options.applyTo(s.getSSLParameters(), null));
        handshake(s, tcp, deadlineNanos);
        return new Channel(s, tcp);
    }

    @Override
    public Channel connected(Socket tcp, String peerHost, long deadlineNanos) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(tcp, peerHost, tcp.getPort(), true);
        s.setUseClientMode(true);
        s.setSSLParameters(options.applyTo(s.getSSLParameters(), peerHost));
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

    @Override
    public String toString() {
        return "TLS " + options.versions();
    }
}
