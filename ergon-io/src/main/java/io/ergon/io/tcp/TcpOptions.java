package io.ergon.io.tcp;

import io.ergon.io.Active;
import io.ergon.io.Packet;
import java.util.Objects;

/**
 * A TCP socket's options, Erlang's names: the {@code packet} framing, the initial {@code active} mode (passive by
 * default, as {@code {active, false}}: the owner turns it active when it is ready), {@code packet_size} (the largest
 * packet taken; 64 MiB by default) and {@code nodelay}. Immutable; the methods return changed copies.
 *
 * @param packet how the stream is cut into messages
 * @param active the mode the socket starts in
 * @param packetSize the largest packet (or line piece) in bytes
 * @param noDelay whether to turn Nagle's algorithm off ({@code TCP_NODELAY})
 */
public record TcpOptions(Packet packet, Active active, int packetSize, boolean noDelay) {
    /** The default largest packet: 64 MiB. */
    public static final int DEFAULT_PACKET_SIZE = 64 << 20;

    public TcpOptions {
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(active, "active");
        if (packetSize <= 0) {
            throw new IllegalArgumentException("packetSize must be positive: " + packetSize);
        }
    }

    /** Raw, passive, 64 MiB packets, Nagle on. */
    public static TcpOptions defaults() {
        return new TcpOptions(Packet.raw(), Active.passive(), DEFAULT_PACKET_SIZE, false);
    }

    /** These options with another framing. */
    public TcpOptions packet(Packet framing) {
        return new TcpOptions(framing, active, packetSize, noDelay);
    }

    /** These options with another initial mode. */
    public TcpOptions active(Active mode) {
        return new TcpOptions(packet, mode, packetSize, noDelay);
    }

    /** These options with another packet size limit. */
    public TcpOptions packetSize(int bytes) {
        return new TcpOptions(packet, active, bytes, noDelay);
    }

    /** These options with {@code TCP_NODELAY} on or off. */
    public TcpOptions noDelay(boolean on) {
        return new TcpOptions(packet, active, packetSize, on);
    }
}
