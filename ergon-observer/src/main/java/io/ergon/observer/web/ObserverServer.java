package io.ergon.observer.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ergon.observer.cluster.ClusterView;
import io.ergon.observer.cluster.ClusterWatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The observer's HTTP side, on the JDK's own {@link HttpServer} (no dependency; one virtual thread per exchange, so
 * a long-lived event stream costs no pooled thread). Everything is served from the jar:
 * <ul>
 *   <li>{@code GET /}, {@code /observer.js}, {@code /observer.css}: the page (plain JavaScript, plots drawn as SVG);
 *   <li>{@code GET /api/cluster}: the latest {@link ClusterView} as JSON (503 before the first sample);
 *   <li>{@code GET /api/events}: every sample, as Server-Sent Events;
 *   <li>{@code GET /api/process?node=N&pid=P}: one process's detail;
 *   <li>{@code POST /api/kill?node=N&pid=P} and {@code POST /api/restart?node=N&supervisor=P&id=I}: the actions,
 *       403 unless the observer allows actions, and 403 from a page of another origin either way.
 * </ul>
 * Served on loopback, it answers only requests whose {@code Host} is a loopback name (against DNS rebinding).
 */
public final class ObserverServer implements AutoCloseable {
    private final HttpServer http;
    private final ClusterWatch watch;
    private final ExecutorService exchanges = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private final Consumer<ClusterView> broadcast;
    private volatile boolean open = true;
    private volatile String latestJson;

    /** Serves {@code watch} on {@code address} (port 0: any free port); it is listening when this returns. */
    public ObserverServer(InetSocketAddress address, ClusterWatch watch) throws IOException {
        this.watch = watch;
        this.http = HttpServer.create(address, 0);
        http.setExecutor(exchanges);
        http.createContext("/", this::handle);
        broadcast = view -> {
            String json = Json.write(view);
            latestJson = json;
            streams.forEach(s -> s.offer(json));
        };
        watch.subscribe(broadcast);
        http.start();
    }

    /** The page's address, {@code http://HOST:PORT/}. */
    public URI uri() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!hostAllowed(exchange.getRequestHeaders().getFirst("Host"))) {
                send(exchange, 403, error("a page served on loopback answers to a loopback Host only"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            switch (path) {
                case "/", "/index.html" -> resource(exchange, "index.html", "text/html; charset=utf-8");
                case "/observer.js" -> resource(exchange, "observer.js", "text/javascript; charset=utf-8");
                case "/observer.css" -> resource(exchange, "observer.css", "text/css; charset=utf-8");
                case "/api/cluster" -> {
                    String json = latestJson;
                    if (json == null) {
                        send(exchange, 503, error("no sample yet"));
                    } else {
                        send(exchange, 200, json);
                    }
                }
                case "/api/events" -> events(exchange);
                case "/api/process" -> send(exchange, 200, Json.write(watch.detail(required(query, "node"),
                        required(query, "pid"))));
                case "/api/kill", "/api/restart" -> action(exchange, path, method, query);
                default -> send(exchange, 404, error("no such page: " + path));
            }
        } catch (IllegalArgumentException e) {
            send(exchange, 400, error(e.getMessage()));
        } catch (RuntimeException e) {
            send(exchange, 502, error(e.getClass().getSimpleName() + ": " + e.getMessage()));
        } finally {
            exchange.close();
        }
    }

    /**
     * On a loopback address, only a request naming a loopback host ({@code localhost}, {@code 127.x.x.x},
     * {@code [::1]}) is answered: a page of another site whose name was made to resolve to 127.0.0.1 (DNS rebinding)
     * sends its own name, and must not read the cluster. Bound elsewhere, the operator chose who may reach it.
     */
    private boolean hostAllowed(String hostHeader) {
        if (!http.getAddress().getAddress().isLoopbackAddress()) {
            return true;
        }
        if (hostHeader == null) {
            return false;
        }
        String host = hostHeader.startsWith("[") ? hostHeader.substring(0, hostHeader.indexOf(']') + 1)
                : hostHeader.contains(":") ? hostHeader.substring(0, hostHeader.indexOf(':')) : hostHeader;
        return host.equalsIgnoreCase("localhost") || host.equals("[::1]") || host.matches("127(\\.\\d{1,3}){3}");
    }

    private void action(HttpExchange exchange, String path, String method, Map<String, String> query)
            throws IOException {
        if (!method.equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            send(exchange, 405, error("an action is a POST"));
            return;
        }
        if (!watch.allowsActions()) {
            send(exchange, 403, error("read-only observer: actions need --allow-actions"));
            return;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (origin != null && (host == null || !URI.create(origin).getAuthority().equals(host))) {
            send(exchange, 403, error("an action from another origin (" + origin + ") is refused"));
            return;
        }
        Object result;
        if (path.equals("/api/kill")) {
            watch.kill(required(query, "node"), required(query, "pid"));
            result = "killed";
        } else {
            result = io.ergon.term.TermFormat.print(watch.restartChild(required(query, "node"),
                    required(query, "supervisor"), required(query, "id")));
        }
        send(exchange, 200, Json.write(Map.of("result", result)));
    }

    private void events(HttpExchange exchange) throws IOException {
        EventStream stream = new EventStream();
        streams.add(stream);
        try {
            stream.serve(exchange, latestJson, () -> open);
        } catch (IOException gone) {
            // the client went away
        } finally {
            streams.remove(stream);
        }
    }

    private static String required(Map<String, String> query, String name) {
        String v = query.get(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing parameter " + name);
        }
        return v;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static String error(String message) {
        return Json.write(Map.of("error", message));
    }

    private static void resource(HttpExchange exchange, String name, String type) throws IOException {
        try (InputStream in = ObserverServer.class.getResourceAsStream(name)) {
            if (in == null) {
                send(exchange, 404, error("missing resource " + name));
                return;
            }
            byte[] body = in.readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops serving: the event streams end, the port is freed. */
    @Override
    public void close() {
        open = false;
        watch.unsubscribe(broadcast);
        streams.forEach(s -> s.offer("{}"));
        http.stop(0);
        exchanges.shutdownNow();
    }
}
