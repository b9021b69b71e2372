package io.ergon.io.tcp;

/**
 * Erlang's {@code {tcp_passive, Socket}}: an {@code {active, N}} count ran out, and the socket is passive until its
 * owner sets a mode again.
 *
 * @param socket the socket now passive
 */
public record TcpPassive(TcpSocket socket) {
}
