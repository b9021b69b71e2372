package io.ergon.io.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP server with the JDK's {@link HttpClient} and its WebSocket client as clients. */
class HttpServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Node node;
    private HttpClient client;

    @BeforeEach
    void start() {
        node = Node.start("http_server_test@localhost");
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
    }

    @AfterEach
    void stop() {
        client.shutdownNow();
        node.close();
    }

    private URI uri(String server, String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + HttpServer.port(node, server) + path);
    }

    private static HttpResponse route(HttpRequest request) {
        return switch (request.path()) {
            case "/hello" -> HttpResponse.text(200, "hello " + request.query());
            case "/echo" -> HttpResponse.of(200, "application/octet-stream", request.body())
                    .header("x-method", request.method());
            case "/crash" -> throw new IllegalStateException("the handler crashes on purpose");
            default -> HttpResponse.text(404, "no " + request.path());
        };
    }

    private void startServer(HttpServerSpec spec) {
        HttpServer.start(node, spec.bind(InetAddress.getLoopbackAddress()));
    }

    @Test
    void answersRequestsOnOneKeptAliveConnection() throws Exception {
        startServer(HttpServerSpec.of("web", 0, HttpServerTest::route));
        for (int i = 0; i < 5; i++) {
            var response = client.send(java.net.http.HttpRequest.newBuilder(uri("web", "http", "/hello?n=" + i))
                    .build(), BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello n=" + i);
        }
        var posted = client.send(java.net.http.HttpRequest.newBuilder(uri("web", "http", "/echo"))
                .POST(BodyPublishers.ofString("a body")).build(), BodyHandlers.ofString());
        assertThat(posted.body()).isEqualTo("a body");
        assertThat(posted.headers().firstValue("x-method")).hasValue("POST");
        var missing = client.send(java.net.http.HttpRequest.newBuilder(uri("web", "http", "/nothing")).build(),
                BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(HttpServer.connections(node, "web")).as("one process for the one kept-alive connection")
                .hasSize(1);
    }

    @Test
    void aCrashingHandlerGets500AndEndsOnlyItsConnection() throws Exception {
        startServer(HttpServerSpec.of("crashy", 0, HttpServerTest::route));
        var crashed = client.send(java.net.http.HttpRequest.newBuilder(uri("crashy", "http", "/crash")).build(),
                BodyHandlers.ofString());
        assertThat(crashed.statusCode()).isEqualTo(500);
        var after = client.send(java.net.http.HttpRequest.newBuilder(uri("crashy", "http", "/hello?again"))
                .build(), BodyHandlers.ofString());
        assertThat(after.body()).isEqualTo("hello again");
    }

    @Test
    void stoppingDrainsTheRequestInHandThenCloses() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        startServer(HttpServerSpec.of("draining", 0, request -> {
            entered.countDown();
            release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            return HttpResponse.text(200, "finished");
        }));
        URI uri = uri("draining", "http", "/slow");
        CompletableFuture<java.net.http.HttpResponse<String>> inFlight = client.sendAsync(
                java.net.http.HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
        assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> HttpServer.stop(node, "draining"));
        // the listener goes first: nothing new is accepted while the request in hand is still answered
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(
                () -> new java.net.Socket(InetAddress.getLoopbackAddress(), uri.getPort()).close())
                .isInstanceOf(ConnectException.class));
        assertThat(inFlight).isNotDone();
        release.countDown();
        assertThat(inFlight.get(WAIT.toSeconds(), TimeUnit.SECONDS).body()).isEqualTo("finished");
        stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A JDK WebSocket listener that queues what it gets. */
    static final class Collector implements java.net.http.WebSocket.Listener {
        final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(java.net.http.WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            received.add(bytes);
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(java.net.http.WebSocket ws, int statusCode, String reason) {
            received.add("closed " + statusCode);
            return null;
        }

        Object next() throws InterruptedException {
            return received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private java.net.http.WebSocket openWebSocket(String server, String path, Collector collector) {
        return client.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri(server, "ws", path), collector)
                .join();
    }

    @Test
    void aWebSocketSessionIsAProcessThatEchoes() throws Exception {
        startServer(HttpServerSpec.of("ws", 0, HttpServerTest::route).webSocket("/echo-ws", Sessions.Echo::new));
        Collector collector = new Collector();
        java.net.http.WebSocket ws = openWebSocket("ws", "/echo-ws", collector);
        ws.sendText("hello", true).join();
        assertThat(collector.next()).isEqualTo("HELLO");
        ws.sendText("frag", false).join();
        ws.sendText("mented", true).join();
        assertThat(collector.next()).isEqualTo("FRAGMENTED");
        String big = "x".repeat(200_000);
        ws.sendText(big, true).join();
        assertThat(collector.next()).isEqualTo(big.toUpperCase());
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        assertThat((byte[]) collector.next()).containsExactly(1, 2, 3);
        ws.sendClose(1000, "done").join();
        assertThat(collector.next()).isEqualTo("closed 1000");
        Awaitility.await().atMost(WAIT).until(() -> HttpServer.connections(node, "ws").isEmpty());
    }

    @Test
    void aCrashedSessionClosesItsWebSocketWith1011() throws Exception {
        startServer(HttpServerSpec.of("wscrash", 0, HttpServerTest::route).webSocket("/s", Sessions.Echo::new));
        Collector collector = new Collector();
        java.net.http.WebSocket ws = openWebSocket("wscrash", "/s", collector);
        ws.sendText("crash", true).join();
        assertThat(collector.next()).isEqualTo("closed 1011");
        Collector other = new Collector();
        openWebSocket("wscrash", "/s", other).sendText("still here", true).join();
        assertThat(other.next()).isEqualTo("STILL HERE");
    }

    @Test
    void aSlowSessionHoldsAFloodingClientBack() throws Exception {
        try (Mailbox probe = node.mailbox()) {
            startServer(HttpServerSpec.of("wsslow", 0, HttpServerTest::route)
                    .webSocket("/s", ws -> new Sessions.Forward(ws, probe.pid())));
            Collector collector = new Collector();
            java.net.http.WebSocket ws = openWebSocket("wsslow", "/s", collector);
            Sessions.Opened opened = (Sessions.Opened) probe.receive(m -> m instanceof Sessions.Opened, WAIT);
            String chunk = "y".repeat(64 * 1024);
            int total = 1000;
            CompletableFuture<?> last = CompletableFuture.completedFuture(null);
            int sent = 0;
            for (; sent < total; sent++) {
                // one outstanding send at a time, as the JDK's client allows; stop once TCP holds it back
                CompletableFuture<?> next = last.thenCompose(x -> ws.sendText(chunk, true));
                try {
                    next.get(2, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException heldBack) {
                    break;
                }
                last = next;
            }
            assertThat(sent).as("messages the client could send to a session that took one").isLessThan(total);
            // the session took its one message; the connection read nothing more
            int queued = node.info(opened.session()).messageQueueLength();
            assertThat(queued).isLessThanOrEqualTo(1);
            assertThat(node.info(opened.ws().connection()).messageQueueLength()).isLessThanOrEqualTo(1);
            // asking for the rest lets it through, in order and whole
            opened.ws().setActive(io.ergon.io.Active.always());
            for (int i = 0; i < sent; i++) {
                Object m = probe.receive(x -> x instanceof WebSocketText, WAIT);
                assertThat(((WebSocketText) m).text()).hasSize(chunk.length());
            }
        }
    }

    @Test
    void stoppingTheServerClosesSessionsWith1001() throws Exception {
        startServer(HttpServerSpec.of("wsstop", 0, HttpServerTest::route).webSocket("/s", Sessions.Echo::new));
        Collector collector = new Collector();
        java.net.http.WebSocket ws = openWebSocket("wsstop", "/s", collector);
        ws.sendText("hi", true).join();
        assertThat(collector.next()).isEqualTo("HI");
        HttpServer.stop(node, "wsstop");
        assertThat(collector.next()).isEqualTo("closed 1001");
    }

    @Test
    void aClientGoneMidFrameEndsTheSessionWith1006() throws Exception {
        try (Mailbox probe = node.mailbox()) {
            startServer(HttpServerSpec.of("wscut", 0, HttpServerTest::route)
                    .webSocket("/s", ws -> new Sessions.Forward(ws, probe.pid())));
            int port = HttpServer.port(node, "wscut");
            try (java.net.Socket raw = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                raw.getOutputStream().write(("GET /s HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String head = readHead(raw);
                assertThat(head).startsWith("HTTP/1.1 101")
                        .contains("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
                probe.receive(m -> m instanceof Sessions.Opened, WAIT);
                // a masked text frame that says 100 bytes and brings 3
                raw.getOutputStream().write(new byte[] {(byte) 0x81, (byte) (0x80 | 100), 1, 2, 3, 4, 'a', 'b', 'c'});
                raw.getOutputStream().flush();
            }
            Object closed = probe.receive(m -> m instanceof WebSocketClosed || m instanceof WebSocketText, WAIT);
            assertThat(closed).isInstanceOfSatisfying(WebSocketClosed.class,
                    c -> assertThat(c.code()).isEqualTo(1006));
        }
    }

    private static String readHead(java.net.Socket s) throws IOException {
        s.setSoTimeout((int) WAIT.toMillis());
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = s.getInputStream().read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }
}
