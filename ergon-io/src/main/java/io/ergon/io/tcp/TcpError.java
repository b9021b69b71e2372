package io.ergon.io.tcp;

/**
 * Erlang's {@code {tcp_error, Socket, Reason}}: reading failed ({@code econnreset}, {@code emsgsize}, ...); a
 * {@link TcpClosed} follows.
 *
 * @param socket the failed socket
 * @param reason the POSIX-style reason, an atom
 */
public record TcpError(TcpSocket socket, Object reason) {
}
