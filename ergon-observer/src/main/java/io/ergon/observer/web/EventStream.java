package io.ergon.observer.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One browser's {@code /api/events} stream (Server-Sent Events): each sample is sent as an event {@code cluster}
 * whose data is the sample's JSON. A client too slow to take them misses samples rather than queueing them: only the
 * newest is kept. A comment goes out when nothing else has for {@link #KEEPALIVE_SECONDS}, so a gone client is
 * found. It ends when the client goes or the server closes.
 */
final class EventStream {
    static final int KEEPALIVE_SECONDS = 15;

    private final ArrayBlockingQueue<String> pending = new ArrayBlockingQueue<>(1);

    /** Offers a sample's JSON, replacing one not sent yet. */
    void offer(String json) {
        while (!pending.offer(json)) {
            pending.poll();
        }
    }

    /** Serves the stream on {@code exchange} until the client goes or {@code open} turns false. */
    void serve(HttpExchange exchange, String first, BooleanSupplier open) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            write(out, "retry: 2000\n\n");
            if (first != null) {
                write(out, event(first));
            }
            while (open.getAsBoolean()) {
                String json = pending.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
                write(out, json == null ? ": keepalive\n\n" : event(json));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String event(String json) {
        return "event: cluster\ndata: " + json + "\n\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
