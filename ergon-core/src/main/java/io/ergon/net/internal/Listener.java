package io.ergon.net.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's listening socket and the acceptor's side of each incoming connection: every socket gets a virtual
 * thread that runs the handshake ({@link Handshake#accept}) within the setup time, with the
 * {@link ConnectionTable.AcceptPolicy} deciding what to answer. A refused or failed handshake closes only its
 * socket.
 */
final class Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Distribution.class);

    private static final long MIN_BACKOFF_MILLIS = 10;
    private static final long MAX_BACKOFF_MILLIS = 1_000;

    private final Distribution dist;
    private final ServerSocket socket;
    private final RefusalLog refusals;
    private final PendingHandshakes pending = new PendingHandshakes();

    Listener(Distribution dist, ServerSocket socket) {
        this.dist = dist;
        this.socket = socket;
        this.refusals = new RefusalLog(LOG, dist.name().name());
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Starts accepting, on a thread of its own. */
    void start() {
        Thread.ofVirtual().name("ergon-dist-acceptor-" + dist.name().name()).start(this::acceptLoop);
    }

    /** Stops accepting (connections already made stay). */
    void close() {
        Distribution.closeQuietly(socket);
    }

    /**
     * Accepts until the node closes. An error other than the socket's close (out of file descriptors, EMFILE or
     * ENFILE, and the like) does not end it: it is logged once per spell, and the loop waits 10 ms, doubling up to
     * 1 s, and tries again, so the node accepts again as soon as descriptors come back (it stopped for good before,
     * still registered in EPMD).
     */
    private void acceptLoop() {
        long backoffMillis = 0;
        while (!dist.isClosed() && !socket.isClosed()) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                if (dist.isClosed() || socket.isClosed()) {
                    return;
                }
                if (backoffMillis == 0) {
                    LOG.warn("{}: cannot accept connections for now, retrying until it can: {}", dist.name(),
                            e.toString());
                }
                backoffMillis = Math.min(MAX_BACKOFF_MILLIS, Math.max(MIN_BACKOFF_MILLIS, backoffMillis * 2));
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            if (backoffMillis != 0) {
                LOG.warn("{}: accepting connections again", dist.name());
                backoffMillis = 0;
            }
            InetAddress from = s.getInetAddress();
            if (!pending.tryBegin(from)) {
                Distribution.closeQuietly(s);
                refusals.refused(from, s.getRemoteSocketAddress(), "too many handshakes under way (at most "
                        + PendingHandshakes.PER_ADDRESS + " from one address, " + PendingHandshakes.TOTAL + " in all)");
                continue;
            }
            Thread.ofVirtual().name("ergon-dist-accept").start(() -> {
                try {
                    accept(s);
                } finally {
                    pending.end(from);
                }
            });
        }
    }

    private void accept(Socket s) {
        ConnectionTable.AcceptPolicy policy = dist.connections().acceptPolicy();
        try {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(new SocketDeadline(s,
                    dist.setupTime(), "the handshake (setup time)")));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
            Handshake.Peer info = Handshake.accept(in, out, dist.handshakeLocal(), policy);
            s.setSoTimeout(0);
            dist.established(policy.connection(), s, info);
        } catch (IOException | RuntimeException e) {
            Distribution.closeQuietly(s);
            if (e instanceof HandshakeException h && h.outcome() == HandshakeException.Outcome.RESOLVED) {
                LOG.debug("{}: {}", dist.name(), e.getMessage());
            } else {
                refusals.refused(s.getInetAddress(), s.getRemoteSocketAddress(),
                        e.getMessage() != null ? e.getMessage() : e.toString());
            }
            if (policy.connection() != null && policy.created()) {
                policy.connection().close("incoming handshake failed: " + (e.getMessage() != null ? e.getMessage()
                        : e.toString()));
            }
        }
    }
}
