package io.ergon.observer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven over the Chrome DevTools Protocol with the JDK's own
 * WebSocket client: no Selenium, no driver binary, nothing downloaded. It is started with
 * {@code --remote-debugging-port=0} and a profile directory of its own; the DevTools address is read from its
 * stderr; the test talks to its one page. {@link #close()} kills the browser it started, by pid (its child
 * processes first), and deletes the profile.
 */
final class Chromium implements AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> calls = new ConcurrentHashMap<>();

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The chromium command on the PATH, or null. */
    static String command() {
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }

    /** Starts a headless Chromium with a {@code width} x {@code height} viewport and connects to its page. */
    static Chromium start(int width, int height) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("ergon-observer-chromium");
        ProcessBuilder pb = new ProcessBuilder(command(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = pb.start();
        try {
            URI browser = devToolsAddress(process);
            HttpClient http = HttpClient.newHttpClient();
            URI list = URI.create("http://" + browser.getAuthority() + "/json/list");
            String page = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (page == null && System.nanoTime() < deadline) {
                for (Object t : (List<?>) TestJson.parse(http.send(HttpRequest.newBuilder(list).build(),
                        HttpResponse.BodyHandlers.ofString()).body())) {
                    Map<?, ?> target = (Map<?, ?>) t;
                    if ("page".equals(target.get("type"))) {
                        page = (String) target.get("webSocketDebuggerUrl");
                    }
                }
            }
            if (page == null) {
                throw new IOException("chromium has no page to drive");
            }
            Listener listener = new Listener();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(page), listener).join();
            Chromium c = new Chromium(process, profile, ws);
            listener.owner = c;
            c.call("Emulation.setDeviceMetricsOverride", "{\"width\":" + width + ",\"height\":" + height
                    + ",\"deviceScaleFactor\":1,\"mobile\":false}");
            return c;
        } catch (IOException | RuntimeException e) {
            kill(process);
            throw e;
        }
    }

    /** Reads {@code DevTools listening on ws://...} from the browser's stderr (bounded: 200 lines, 30 s). */
    private static URI devToolsAddress(Process process) throws IOException, InterruptedException {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the browser went away
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int i = 0; i < 200; i++) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            int at = line.indexOf("DevTools listening on ");
            if (at >= 0) {
                return URI.create(line.substring(at + "DevTools listening on ".length()).trim());
            }
        }
        throw new IOException("chromium did not print its DevTools address");
    }

    /** Calls a DevTools method with {@code params} (a JSON object) and returns its result. */
    Map<String, Object> call(String method, String params) {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        calls.put(id, answer);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true).join();
        Map<String, Object> reply = answer.orTimeout(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        if (reply.get("error") != null) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) reply.get("result");
        return result;
    }

    void navigate(URI uri) {
        call("Page.navigate", "{\"url\":" + quote(uri.toString()) + "}");
    }

    /** The value of a JavaScript expression evaluated in the page (null if it threw or is undefined). */
    Object evaluate(String expression) {
        Map<String, Object> r = call("Runtime.evaluate", "{\"expression\":" + quote(expression)
                + ",\"returnByValue\":true,\"awaitPromise\":true}");
        if (r.get("exceptionDetails") != null) {
            return null;
        }
        return ((Map<?, ?>) r.get("result")).get("value");
    }

    /** Saves a PNG of the whole page to {@code file}. */
    void screenshot(Path file) throws IOException {
        Map<String, Object> r = call("Page.captureScreenshot", "{\"format\":\"png\",\"captureBeyondViewport\":true}");
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode((String) r.get("data")));
    }

    private void answer(String text) {
        Map<String, Object> message = TestJson.object(text);
        if (message.get("id") instanceof Number n) {
            CompletableFuture<Map<String, Object>> f = calls.remove(n.intValue());
            if (f != null) {
                f.complete(message);
            }
        }
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        volatile Chromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (owner != null) {
                    owner.answer(text);
                }
            }
            ws.request(1);
            return null;
        }
    }

    /** Kills the browser by pid (its children first), waits for it, and deletes its profile. */
    @Override
    public void close() throws IOException {
        if (!Files.exists(profile)) {
            return; // closed already
        }
        socket.abort();
        kill(process);
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void kill(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    }
}
