package io.ergon.io.tcp;

/**
 * Erlang's {@code {tcp_error, Socket, Reason}}: reading failed ({@code econnreset}, {@code emsgsize}, ...); a
 * {@link TcpClosed} follows.
 *
 * @param socket the failed socket
 * @param reason the POSIX-style reason, an atom; for a TLS handshake refused, Erlang's
 *     {@code {tls_alert, {Description, Text}}} ({@code Description} an atom such as {@code unknown_ca})
 */
public record TcpError(TcpSocket socket, Object reason) {
}
