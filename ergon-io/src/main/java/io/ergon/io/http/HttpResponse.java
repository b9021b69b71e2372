package io.ergon.io.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP response a handler returns: a status, header fields and a body, sent with a {@code Content-Length}.
 * Immutable; {@link #header(String, String)} returns a changed copy.
 *
 * @param status the status code
 * @param headers header fields (Content-Length and Connection are the server's)
 * @param body the body
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {
    public HttpResponse {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("not a status code: " + status);
        }
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** A response with a UTF-8 text body. */
    public static HttpResponse text(int status, String text) {
        return new HttpResponse(status, Map.of("content-type", "text/plain; charset=utf-8"),
                text.getBytes(StandardCharsets.UTF_8));
    }

    /** A response with {@code body} of {@code contentType}. */
    public static HttpResponse of(int status, String contentType, byte[] body) {
        return new HttpResponse(status, Map.of("content-type", contentType), body);
    }

    /** This response with one more header field. */
    public HttpResponse header(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpResponse(status, more, body);
    }
}
