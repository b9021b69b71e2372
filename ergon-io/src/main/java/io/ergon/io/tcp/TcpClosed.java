package io.ergon.io.tcp;

/**
 * Erlang's {@code {tcp_closed, Socket}}: the peer closed the connection (or it failed, after a {@link TcpError}).
 * The socket is closed when this arrives. Delivered only while the socket is active, as in Erlang; a passive
 * socket's owner learns it from {@code recv}.
 *
 * @param socket the closed socket
 */
public record TcpClosed(TcpSocket socket) {
}
