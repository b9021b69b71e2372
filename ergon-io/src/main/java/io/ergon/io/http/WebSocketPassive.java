package io.ergon.io.http;

/**
 * The session's {@code {active, N}} count ran out: nothing more arrives until it sets a mode again.
 *
 * @param socket the session
 */
public record WebSocketPassive(WebSocket socket) {
}
