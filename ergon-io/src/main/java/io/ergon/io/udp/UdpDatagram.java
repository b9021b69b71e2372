package io.ergon.io.udp;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Erlang's {@code {udp, Socket, IP, Port, Data}}: one datagram, to the socket's owner.
 *
 * @param socket the socket it came to
 * @param from the sender's address and port
 * @param data its bytes (the array is the owner's)
 */
public record UdpDatagram(UdpSocket socket, InetSocketAddress from, byte[] data) {
    /** The data as UTF-8 text. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "UdpDatagram[" + socket + " from " + from + ", " + data.length + " bytes]";
    }
}
