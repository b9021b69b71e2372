package io.ergon.net.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * A connected distribution socket as a {@link Transport} made it: {@code socket} carries the handshake and the
 * frames (the TCP socket itself, or a TLS socket over it), {@code tcp} is the TCP socket beneath.
 */
record Channel(Socket socket, Socket tcp) {
    /** True if TLS runs over the TCP socket. */
    boolean tls() {
        return socket != tcp;
    }

    /**
     * What a reader asks whether input has come ({@link InputPoll}) given {@code app}, the stream it reads: over TCP
     * that stream itself; over TLS, decrypted bytes waiting in the TLS socket or raw bytes on the TCP socket (the
     * TLS socket's own {@code available()} sees only records already read, so a reader polling it would never see
     * the next one come).
     */
    InputStream arrivals(InputStream app) throws IOException {
        if (!tls()) {
            return app;
        }
        InputStream raw = tcp.getInputStream();
        return new InputStream() {
            @Override
            public int available() throws IOException {
                int n = app.available();
                return n > 0 ? n : raw.available();
            }

            @Override
            public int read() {
                throw new UnsupportedOperationException("only for available()");
            }
        };
    }

    /**
     * Closes it. Over TLS, {@code polite} (nothing is being written) sends TLS's close_notify first; otherwise the
     * TCP socket closes first, so that a writer blocked on a full socket cannot hold the close up (the JDK's TLS
     * socket takes the writer's lock to send close_notify).
     */
    void close(boolean polite) {
        if (tls() && !polite) {
            Distribution.closeQuietly(tcp);
        }
        Distribution.closeQuietly(socket);
        if (tls()) {
            Distribution.closeQuietly(tcp);
        }
    }
}
