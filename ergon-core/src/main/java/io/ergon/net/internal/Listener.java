package io.ergon.net.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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

    private final Distribution dist;
    private final ServerSocket socket;

    Listener(Distribution dist, ServerSocket socket) {
        this.dist = dist;
        this.socket = socket;
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

    private void acceptLoop() {
        while (!dist.isClosed()) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                if (!dist.isClosed()) {
                    LOG.warn("{}: stopped accepting connections: {}", dist.name(), e.toString());
                }
                return;
            }
            Thread.ofVirtual().name("ergon-dist-accept").start(() -> accept(s));
        }
    }

    private void accept(Socket s) {
        ConnectionTable.AcceptPolicy policy = dist.connections().acceptPolicy();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) dist.setupTime().toMillis());
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
            Handshake.Peer info = Handshake.accept(in, out, dist.handshakeLocal(), policy);
            s.setSoTimeout(0);
            dist.established(policy.connection(), s, info);
        } catch (IOException | RuntimeException e) {
            Distribution.closeQuietly(s);
            if (e instanceof HandshakeException h && h.outcome() == HandshakeException.Outcome.RESOLVED) {
                LOG.debug("{}: {}", dist.name(), e.getMessage());
            } else {
                LOG.warn("{}: refused a connection from {}: {}", dist.name(), s.getRemoteSocketAddress(),
                        e.getMessage());
            }
            if (policy.connection() != null && policy.created()) {
                policy.connection().close("incoming handshake failed: " + e.getMessage());
            }
        }
    }
}
