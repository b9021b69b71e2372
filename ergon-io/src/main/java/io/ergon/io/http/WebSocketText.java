package io.ergon.io.http;

/**
 * A text message from the client, to its session process.
 *
 * @param socket the session
 * @param text the message
 */
public record WebSocketText(WebSocket socket, String text) {
}
