package io.ergon.io.http;

import io.ergon.io.Active;
import io.ergon.node.Actor;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What an {@link HttpServer} is: its name, where it listens, the handler of its requests, the session process of
 * each WebSocket path, the limits of a request, and how long each connection has to finish (drain) when the server
 * stops. Immutable; the methods return changed copies.
 *
 * @param name the server's name (its supervisor's registered name)
 * @param address the address to bind, or null for every address
 * @param port the port; 0 picks a free one ({@link HttpServer#port})
 * @param handler answers every request that is not a WebSocket upgrade to one of {@code webSockets}' paths
 * @param webSockets for each path, the session process of a WebSocket opened there (it gets its {@link WebSocket})
 * @param sessionMode the mode a WebSocket session starts in
 * @param maxHead the largest request head in bytes (431 past it)
 * @param maxBody the largest request body in bytes (413 past it); also the largest WebSocket message
 * @param drain how long a connection has to finish its request (or close its session) when the server stops
 */
public record HttpServerSpec(String name, InetAddress address, int port, HttpHandler handler,
                             Map<String, Function<WebSocket, ? extends Actor>> webSockets, Active sessionMode,
                             int maxHead, int maxBody, Duration drain) {
    public HttpServerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        webSockets = Map.copyOf(webSockets);
        Objects.requireNonNull(sessionMode, "sessionMode");
        Objects.requireNonNull(drain, "drain");
    }

    /** A server on {@code port} answering with {@code handler}, no WebSocket paths, 16 KiB heads, 8 MiB bodies. */
    public static HttpServerSpec of(String name, int port, HttpHandler handler) {
        return new HttpServerSpec(name, null, port, handler, Map.of(), Active.once(), 16 * 1024, 8 << 20,
                Duration.ofSeconds(5));
    }

    /** This spec bound to {@code bindAddress} only. */
    public HttpServerSpec bind(InetAddress bindAddress) {
        return new HttpServerSpec(name, bindAddress, port, handler, webSockets, sessionMode, maxHead, maxBody, drain);
    }

    /** This spec with a WebSocket path: an upgrade request for {@code path} starts a {@code session} process. */
    public HttpServerSpec webSocket(String path, Function<WebSocket, ? extends Actor> session) {
        Map<String, Function<WebSocket, ? extends Actor>> more = new HashMap<>(webSockets);
        more.put(path, session);
        return new HttpServerSpec(name, address, port, handler, more, sessionMode, maxHead, maxBody, drain);
    }

    /** This spec with another initial mode for WebSocket sessions. */
    public HttpServerSpec sessionMode(Active mode) {
        return new HttpServerSpec(name, address, port, handler, webSockets, mode, maxHead, maxBody, drain);
    }

    /** This spec with other request limits. */
    public HttpServerSpec limits(int headBytes, int bodyBytes) {
        return new HttpServerSpec(name, address, port, handler, webSockets, sessionMode, headBytes, bodyBytes, drain);
    }

    /** This spec with another drain time. */
    public HttpServerSpec drain(Duration time) {
        return new HttpServerSpec(name, address, port, handler, webSockets, sessionMode, maxHead, maxBody, time);
    }
}
