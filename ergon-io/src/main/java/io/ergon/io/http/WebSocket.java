package io.ergon.io.http;

import io.ergon.io.Active;
import io.ergon.io.tcp.TcpSocket;
import io.ergon.node.Node;
import io.ergon.term.Pid;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One WebSocket session, as its session process sees it: messages from the client arrive as
 * {@link WebSocketText} and {@link WebSocketBinary}, as far as the session's {@link Active} mode allows (its
 * connection reads nothing more from the client meanwhile, so a slow session holds the client back through TCP),
 * and a {@link WebSocketClosed} ends the session. The session sends with {@link #sendText} and {@link #sendBinary},
 * and ends the session with {@link #close}.
 *
 * <p>The session process is linked to its connection's process: if the session crashes, the connection closes with
 * 1011; if the connection goes (the client left, the server stops), the session gets {@link WebSocketClosed} first.
 * Every method may be called from any thread.
 */
public final class WebSocket {
    /** Asks the connection to change the session's mode. */
    record SetActive(Active mode) {
    }

    /** Asks the connection to close the session with {@code code}. */
    record CloseRequest(int code, String reason) {
    }

    private final Node node;
    private final TcpSocket socket;
    private final Pid connection;
    private final HttpRequest request;

    WebSocket(Node node, TcpSocket socket, Pid connection, HttpRequest request) {
        this.node = node;
        this.socket = socket;
        this.connection = connection;
        this.request = request;
    }

    /** Sends a text message. @throws io.ergon.io.IoError {@code closed} if the connection is gone */
    public void sendText(String text) {
        socket.send(WebSocketFrames.encode(WebSocketFrames.TEXT, text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends a binary message. @throws io.ergon.io.IoError {@code closed} if the connection is gone */
    public void sendBinary(byte[] data) {
        socket.send(WebSocketFrames.encode(WebSocketFrames.BINARY, data));
    }

    /** Sets how many messages the session takes before it asks again; see {@link Active}. */
    public void setActive(Active mode) {
        node.send(connection, new SetActive(Objects.requireNonNull(mode, "mode")));
    }

    /** Closes the session with {@code code} (1000 for a normal close) and {@code reason}, RFC 6455's handshake. */
    public void close(int code, String reason) {
        node.send(connection, new CloseRequest(code, reason));
    }

    /** The upgrade request that opened the session (its path, query, headers). */
    public HttpRequest request() {
        return request;
    }

    /** The process of the session's connection. */
    public Pid connection() {
        return connection;
    }

    @Override
    public String toString() {
        return "WebSocket[" + request.target() + " from " + request.peer() + "]";
    }
}
