package io.ergon.net.internal;

import io.ergon.net.EpmdClient;
import io.ergon.net.NodeName;
import io.ergon.term.Atom;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The initiator's side of a connection: asks the peer host's EPMD for the peer's port, connects, and runs the
 * handshake ({@link Handshake#initiate}) within the setup time. When the peer answers that its own attempt wins a
 * simultaneous connect ({@link HandshakeException.Outcome#GAVE_WAY}), the connection waits for that attempt to
 * arrive through the {@link Listener} instead of failing.
 */
final class Connector {
    private static final Logger LOG = LoggerFactory.getLogger(Distribution.class);
    /** The highest and lowest distribution versions must include this one (OTP 23+). */
    private static final int VERSION = 6;

    /** Peers the last failure is cached for, at most; past it the cache starts afresh. */
    private static final int FAILURES_REMEMBERED = 1024;

    private final Distribution dist;
    /**
     * The last failure logged for each peer not connected since: the same failure again (a discovery membership
     * retrying a peer that is down) goes to the debug level, so a down peer costs one line, not one per attempt.
     */
    private final Map<Atom, String> lastFailure = new ConcurrentHashMap<>();

    Connector(Distribution dist) {
        this.dist = dist;
    }

    /** Connects {@code c}, on the calling thread; on failure closes it. */
    void initiate(Connection c) {
        Atom peer = c.peer();
        Socket socket = null;
        Channel channel = null;
        try {
            NodeName target = NodeName.of(peer);
            if (target.isLong() != dist.nodeName().isLong()) {
                throw new HandshakeException("cannot connect " + dist.name() + " to " + peer
                        + ": short and long node names do not mix");
            }
            InetAddress host = dist.knownAddress(peer);
            if (host == null) {
                host = resolve(target);
            }
            Integer known = dist.knownPort(peer);
            int port;
            if (known != null) {
                port = known; // no EPMD: a port given beforehand (Erlang's -erl_epmd_port); the version is 6
            } else {
                EpmdClient.NodeEntry entry = new EpmdClient(host, dist.epmdPort()).portPlease(target.alive());
                if (entry == null) {
                    throw new HandshakeException("EPMD on " + target.host() + " does not know " + target.alive());
                }
                if (entry.lowestVersion() > VERSION || entry.highestVersion() < VERSION) {
                    throw new HandshakeException(peer + " speaks distribution versions " + entry.lowestVersion()
                            + ".." + entry.highestVersion() + ", not " + VERSION);
                }
                port = entry.port();
            }
            socket = new Socket();
            int setup = (int) dist.setupTime().toMillis();
            long deadline = System.nanoTime() + dist.setupTime().toNanos();
            socket.connect(new InetSocketAddress(host, port), setup);
            socket.setTcpNoDelay(true);
            Transport transport = dist.transport();
            try {
                channel = transport.connected(socket, target.host(), deadline);
            } catch (IOException e) {
                throw new HandshakeException(TlsFailures.explain(e, true));
            }
            Socket s = channel.socket();
            s.setSoTimeout(setup);
            // unbuffered: a buffer would swallow what the peer sends right after its ack (the messages it queued for
            // us while connecting), and the connection's reader, which reads the socket afresh, would never see them
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
            Handshake.Peer info;
            try {
                info = Handshake.initiate(in, out, dist.handshakeLocal(), peer,
                        () -> c.state() == Connection.State.CONNECTING && !c.acceptingSimultaneous,
                        transport.handshakeLengthBytes());
            } catch (IOException e) {
                if (!channel.tls() || e instanceof HandshakeException) {
                    throw e;
                }
                // in TLS 1.3 the server judges our certificate after our side of the TLS handshake is done: its
                // refusal comes as an alert, or a closed connection, when we write send_name or read the answer
                throw new HandshakeException(TlsFailures.explainAfterHandshake(e, true));
            }
            s.setSoTimeout(0);
            dist.established(c, channel, info);
        } catch (HandshakeException e) {
            if (channel != null) {
                channel.close(false);
            }
            Distribution.closeQuietly(socket);
            if (e.outcome() == HandshakeException.Outcome.GAVE_WAY) {
                awaitOtherAttempt(c);
            } else {
                if (firstOfItsKind(peer, e.getMessage())) {
                    LOG.warn("{}: connection to {} failed: {}", dist.name(), peer, e.getMessage());
                } else {
                    LOG.debug("{}: connection to {} failed again: {}", dist.name(), peer, e.getMessage());
                }
                c.close(e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close(false);
            }
            Distribution.closeQuietly(socket);
            if (firstOfItsKind(peer, e.toString())) {
                LOG.info("{}: cannot connect to {}: {}", dist.name(), peer, e.toString());
            } else {
                LOG.debug("{}: cannot connect to {} again: {}", dist.name(), peer, e.toString());
            }
            c.close("cannot connect: " + e);
        }
    }

    /** {@code peer} is connected (whichever side connected): its next failure is logged again. */
    void connected(Atom peer) {
        lastFailure.remove(peer);
    }

    /** True unless this is the failure last logged for {@code peer}; remembers it. */
    private boolean firstOfItsKind(Atom peer, String failure) {
        if (lastFailure.size() >= FAILURES_REMEMBERED) {
            lastFailure.clear();
        }
        return !failure.equals(lastFailure.put(peer, failure));
    }

    /** The address of {@code target}'s host, or a refusal that says the host does not resolve. */
    private static InetAddress resolve(NodeName target) throws HandshakeException {
        try {
            return InetAddress.getByName(target.host());
        } catch (UnknownHostException e) {
            throw new HandshakeException("cannot connect to " + target + ": its host '" + target.host()
                    + "' does not resolve to an address (" + e.getMessage() + ")");
        }
    }

    /** Our attempt lost a simultaneous connect; the peer's attempt attaches to {@code c}, or it fails in time. */
    private void awaitOtherAttempt(Connection c) {
        try {
            c.established().get(dist.setupTime().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            c.close("the simultaneous connection attempt from " + c.peer() + " did not complete");
        }
    }
}
