package io.ergon.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.io.Active;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real headless Chromium (Debian's {@code chromium}) loads a page from the HTTP server and talks to a WebSocket
 * session process. Skipped, with a message, where no chromium is installed ({@code .ci/run} installs it).
 */
class ChromiumWebSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PAGE = """
            <!doctype html><html><body><p id="state">starting</p><script>
            const ws = new WebSocket("ws://" + location.host + "/chat");
            ws.onopen = () => ws.send("hello from the browser");
            ws.onmessage = (e) => ws.send("got: " + e.data);
            </script></body></html>
            """;

    private Node node;
    private Process browser;
    private Path profile;

    @BeforeEach
    void start() {
        node = Node.start("chromium_ws_test@localhost");
    }

    @AfterEach
    void stop() throws Exception {
        killBrowser();
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        node.close();
    }

    /** Kills the browser and the processes it started (its network service holds the sockets), by pid. */
    private void killBrowser() throws InterruptedException {
        if (browser != null) {
            List<ProcessHandle> children = browser.descendants().toList();
            browser.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            browser.waitFor(20, TimeUnit.SECONDS);
        }
    }

    static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }

    @Test
    void aBrowsersWebSocketTalksToASessionProcess() throws IOException, InterruptedException {
        String chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install chromium): "
                + "the browser WebSocket test is skipped");
        try (Mailbox probe = node.mailbox()) {
            HttpServer.start(node, HttpServerSpec.of("browser", 0,
                    request -> HttpResponse.of(200, "text/html; charset=utf-8",
                            PAGE.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .webSocket("/chat", ws -> new Sessions.Forward(ws, probe.pid()))
                    .bind(InetAddress.getLoopbackAddress()));
            int port = HttpServer.port(node, "browser");
            profile = Files.createTempDirectory("ergon-io-chromium");
            browser = new ProcessBuilder(chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                    "--disable-component-update", "--user-data-dir=" + profile, "http://127.0.0.1:" + port + "/")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();

            Sessions.Opened opened = (Sessions.Opened) probe.receive(m -> m instanceof Sessions.Opened, WAIT);
            assertThat(opened).as("the browser opened a WebSocket").isNotNull();
            assertThat(opened.ws().request().header("user-agent")).contains("HeadlessChrome");
            assertThat(probe.receive(m -> m instanceof WebSocketText, WAIT))
                    .isEqualTo(new WebSocketText(opened.ws(), "hello from the browser"));
            for (int i = 0; i < 3; i++) {
                opened.ws().sendText("server says " + i);
                opened.ws().setActive(Active.once());
                assertThat(probe.receive(m -> m instanceof WebSocketText, WAIT))
                        .isEqualTo(new WebSocketText(opened.ws(), "got: server says " + i));
            }
            // a session learns that its client is gone when it asks for more, as a gen_tcp owner does
            opened.ws().setActive(Active.once());
            killBrowser();
            assertThat(probe.receive(m -> m instanceof WebSocketClosed, WAIT))
                    .as("the session ends when the browser goes").isInstanceOf(WebSocketClosed.class);
        }
    }
}
