package io.ergon.net.internal;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLException;
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
     * Accepts until the node closes, and through running out of file descriptors ({@link AcceptLoop}); a socket past
     * the bounds of {@link PendingHandshakes} is closed at once, the others get a handshake each on a virtual thread.
     */
    private void acceptLoop() {
        AcceptLoop.run(socket, dist::isClosed, LOG, dist.name().name(), s -> {
            InetAddress from = s.getInetAddress();
            if (!pending.tryBegin(from)) {
                Distribution.closeQuietly(s);
                refusals.refused(from, s.getRemoteSocketAddress(), "too many handshakes under way (at most "
                        + PendingHandshakes.PER_ADDRESS + " from one address, " + PendingHandshakes.TOTAL + " in all)");
                return;
            }
            try {
                Thread.ofVirtual().name("ergon-dist-accept").start(() -> {
                    try {
                        accept(s);
                    } finally {
                        pending.end(from);
                    }
                });
            } catch (RuntimeException | Error e) {
                pending.end(from); // no thread to end it (no memory for one): AcceptLoop closes the socket
                throw e;
            }
        });
    }

    private void accept(Socket s) {
        ConnectionTable.AcceptPolicy policy = dist.connections().acceptPolicy();
        Transport transport = dist.transport();
        Channel channel = null;
        try {
            s.setTcpNoDelay(true);
            long deadline = System.nanoTime() + dist.setupTime().toNanos();
            try {
                channel = transport.accepted(s, deadline);
            } catch (IOException e) {
                throw new HandshakeException(TlsFailures.explain(e, false));
            }
            Socket socket = channel.socket();
            // unbuffered, as the initiator's (Connector): the handshake must not read past its last message
            DataInputStream in = new DataInputStream(new SocketDeadline(socket, deadline, dist.setupTime(),
                    "the handshake (setup time)"));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            Handshake.Peer info;
            try {
                info = Handshake.accept(in, out, dist.handshakeLocal(), policy, transport.handshakeLengthBytes());
            } catch (SSLException e) {
                throw new HandshakeException(TlsFailures.explain(e, false));
            }
            socket.setSoTimeout(0);
            dist.established(policy.connection(), channel, info);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close(false);
            }
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

    /** Handshakes accepted and under way now (what the bounds of {@link PendingHandshakes} count). */
    int pendingHandshakes() {
        return pending.pending();
    }
}
