package io.ergon.io.tcp;

import io.ergon.io.Active;
import io.ergon.io.Packet;
import io.ergon.node.TlsOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * A TCP socket's options, Erlang's names: the {@code packet} framing, the initial {@code active} mode (passive by
 * default, as {@code {active, false}}: the owner turns it active when it is ready), {@code packet_size} (the largest
 * packet taken; 64 MiB by default) and {@code nodelay}; and TLS, off by default. Immutable; the methods return
 * changed copies.
 *
 * <p>TLS takes the {@link TlsOptions} of the node's distribution, so that the same certificate, key and CA bundle
 * serve both, and they mean the same: with {@link TlsOptions#verifyPeer} (the default) a socket that connects
 * verifies the server's certificate against the CA bundle, and that it names the host it connects to (unless
 * {@link TlsOptions#checkHostname} is off), and a server demands and verifies each client's certificate; without it
 * neither side checks anything. A connection's handshake must finish within {@code handshakeTimeout}.
 *
 * @param packet how the stream is cut into messages
 * @param active the mode the socket starts in
 * @param packetSize the largest packet (or line piece) in bytes
 * @param noDelay whether to turn Nagle's algorithm off ({@code TCP_NODELAY})
 * @param tls TLS over the connection, or {@link TlsOptions#off()}
 * @param handshakeTimeout how long a TLS handshake may take; past it the connection closes
 */
public record TcpOptions(Packet packet, Active active, int packetSize, boolean noDelay, TlsOptions tls,
                         Duration handshakeTimeout) {
    /** The default largest packet: 64 MiB. */
    public static final int DEFAULT_PACKET_SIZE = 64 << 20;
    /** The default time a TLS handshake may take: 5 s, as Ranch's {@code handshake_timeout}. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

    public TcpOptions {
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(active, "active");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (packetSize <= 0) {
            throw new IllegalArgumentException("packetSize must be positive: " + packetSize);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
        }
    }

    /** Raw, passive, 64 MiB packets, Nagle on, no TLS. */
    public static TcpOptions defaults() {
        return new TcpOptions(Packet.raw(), Active.passive(), DEFAULT_PACKET_SIZE, false, TlsOptions.off(),
                DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /** These options with another framing. */
    public TcpOptions packet(Packet framing) {
        return new TcpOptions(framing, active, packetSize, noDelay, tls, handshakeTimeout);
    }

    /** These options with another initial mode. */
    public TcpOptions active(Active mode) {
        return new TcpOptions(packet, mode, packetSize, noDelay, tls, handshakeTimeout);
    }

    /** These options with another packet size limit. */
    public TcpOptions packetSize(int bytes) {
        return new TcpOptions(packet, active, bytes, noDelay, tls, handshakeTimeout);
    }

    /** These options with {@code TCP_NODELAY} on or off. */
    public TcpOptions noDelay(boolean on) {
        return new TcpOptions(packet, active, packetSize, on, tls, handshakeTimeout);
    }

    /** These options with TLS as {@code settings} say ({@link TlsOptions#off()}: plain TCP). */
    public TcpOptions tls(TlsOptions settings) {
        return new TcpOptions(packet, active, packetSize, noDelay, settings, handshakeTimeout);
    }

    /** These options with another time limit on the TLS handshake. */
    public TcpOptions handshakeTimeout(Duration limit) {
        return new TcpOptions(packet, active, packetSize, noDelay, tls, limit);
    }
}
