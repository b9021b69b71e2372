package io.ergon.io.http;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.1 requests from the bytes of one connection: a request head of at most {@code maxHead} bytes, then a
 * body of {@code Content-Length} bytes (at most {@code maxBody}). Bytes after a complete request stay for the next
 * (pipelining) or, after an upgrade, for the WebSocket ({@link #remaining()}). Not thread-safe: its connection's
 * process owns it.
 */
final class RequestReader {
    /** A request the server refuses, with the status it answers. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final int maxHead;
    private final int maxBody;
    private final InetSocketAddress peer;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private byte[] buffer = new byte[0];
    private int start;

    RequestReader(int maxHead, int maxBody, InetSocketAddress peer) {
        this.maxHead = maxHead;
        this.maxBody = maxBody;
        this.peer = peer;
    }

    void append(byte[] bytes) {
        pending.writeBytes(bytes);
    }

    /** Bytes read past the last request taken. */
    byte[] remaining() {
        compact();
        byte[] rest = Arrays.copyOfRange(buffer, start, buffer.length);
        buffer = new byte[0];
        start = 0;
        return rest;
    }

    private void compact() {
        if (pending.size() > 0) {
            byte[] more = pending.toByteArray();
            pending.reset();
            byte[] joined = new byte[buffer.length - start + more.length];
            System.arraycopy(buffer, start, joined, 0, buffer.length - start);
            System.arraycopy(more, 0, joined, buffer.length - start, more.length);
            buffer = joined;
            start = 0;
        }
    }

    /** The next complete request, or null if more bytes are needed. */
    HttpRequest next() throws Refused {
        compact();
        int headEnd = indexOf(buffer, start, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headEnd < 0) {
            if (buffer.length - start > maxHead) {
                throw new Refused(431, "request head over " + maxHead + " bytes");
            }
            return null;
        }
        String head = new String(buffer, start, headEnd - start, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            throw new Refused(400, "bad request line: " + lines[0]);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new Refused(400, "bad header line: " + lines[i]);
            }
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
        }
        if (headers.containsKey("transfer-encoding")) {
            throw new Refused(501, "chunked request bodies are not supported; send a Content-Length");
        }
        int length = 0;
        List<String> contentLength = headers.get("content-length");
        if (contentLength != null) {
            try {
                long l = Long.parseLong(contentLength.getFirst());
                if (l < 0) {
                    throw new Refused(400, "negative Content-Length");
                }
                if (l > maxBody) {
                    throw new Refused(413, "a body of " + l + " bytes is over " + maxBody);
                }
                length = (int) l;
            } catch (NumberFormatException e) {
                throw new Refused(400, "bad Content-Length");
            }
        }
        int bodyStart = headEnd + 4;
        if (buffer.length - bodyStart < length) {
            return null;
        }
        byte[] body = Arrays.copyOfRange(buffer, bodyStart, bodyStart + length);
        start = bodyStart + length;
        return new HttpRequest(requestLine[0], requestLine[1], requestLine[2], headers, body, peer);
    }

    private static int indexOf(byte[] data, int from, byte[] pattern) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
