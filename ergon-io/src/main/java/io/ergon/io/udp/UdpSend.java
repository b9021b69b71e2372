package io.ergon.io.udp;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A message that tells a UDP socket's port process ({@link UdpSocket#port()}) to send {@code data} to {@code to};
 * any process may send it. A datagram that cannot be sent is dropped, as UDP may drop any datagram.
 *
 * @param to where to send it
 * @param data the datagram's bytes
 */
public record UdpSend(InetSocketAddress to, byte[] data) {
    public UdpSend {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(data, "data");
    }
}
