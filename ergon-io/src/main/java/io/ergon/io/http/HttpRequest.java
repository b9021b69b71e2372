package io.ergon.io.http;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request as its connection's process read it.
 *
 * @param method the method, as sent ({@code GET}, {@code POST}, ...)
 * @param target the request target as sent (path and query)
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers the header fields by lower-case name, each with its values in order
 * @param body the body (empty if none)
 * @param peer the client's address
 */
public record HttpRequest(String method, String target, String version, Map<String, List<String>> headers,
                          byte[] body, InetSocketAddress peer) {
    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** The target's path, without its query. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The target's query (after {@code ?}), or null. */
    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Whether the client asks to keep the connection after this request (HTTP/1.1's default). */
    public boolean keepAlive() {
        String connection = header("connection");
        if (connection != null && connection.toLowerCase(Locale.ROOT).contains("close")) {
            return false;
        }
        return "HTTP/1.1".equals(version) || connection != null
                && connection.toLowerCase(Locale.ROOT).contains("keep-alive");
    }

    @Override
    public String toString() {
        return "HttpRequest[" + method + " " + target + " " + version + ", " + body.length + " bytes]";
    }
}
