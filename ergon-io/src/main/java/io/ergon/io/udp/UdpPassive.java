package io.ergon.io.udp;

/**
 * Erlang's {@code {udp_passive, Socket}}: an {@code {active, N}} count ran out, and the socket is passive.
 *
 * @param socket the socket now passive
 */
public record UdpPassive(UdpSocket socket) {
}
