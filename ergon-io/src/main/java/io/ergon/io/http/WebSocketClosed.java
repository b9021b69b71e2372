package io.ergon.io.http;

/**
 * The session ended: the client closed it ({@code code} from its close frame, 1005 if it gave none), the connection
 * was lost (1006), broke the protocol (1002, 1007, 1009), or the server is stopping (1001). Nothing more arrives
 * after it; the session process should end.
 *
 * @param socket the session
 * @param code RFC 6455's close code
 * @param reason the close reason, possibly empty
 */
public record WebSocketClosed(WebSocket socket, int code, String reason) {
}
