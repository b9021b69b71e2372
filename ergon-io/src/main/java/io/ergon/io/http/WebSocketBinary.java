package io.ergon.io.http;

/**
 * A binary message from the client, to its session process.
 *
 * @param socket the session
 * @param data the message (the array is the session's)
 */
public record WebSocketBinary(WebSocket socket, byte[] data) {
    @Override
    public String toString() {
        return "WebSocketBinary[" + socket + ", " + data.length + " bytes]";
    }
}
