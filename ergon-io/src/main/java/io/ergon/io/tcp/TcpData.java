package io.ergon.io.tcp;

import java.nio.charset.StandardCharsets;

/**
 * Erlang's {@code {tcp, Socket, Data}}: one packet from {@code socket} (by its framing), to its owner.
 *
 * @param socket the socket it came from
 * @param data the packet's bytes (the array is the owner's)
 */
public record TcpData(TcpSocket socket, byte[] data) {
    /** The data as UTF-8 text. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "TcpData[" + socket + ", " + data.length + " bytes]";
    }
}
