package io.ergon.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Node;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The chat with two JDK WebSocket clients in one room. */
class ChatTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    static final class Lines implements WebSocket.Listener {
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            received.add(data.toString());
            ws.request(1);
            return null;
        }

        String next() throws InterruptedException {
            return received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void whatOneSaysInARoomEveryMemberHears() throws Exception {
        try (Node node = Node.start("chat_test@localhost");
             HttpClient client = HttpClient.newHttpClient()) {
            Chat.start(node, 0);
            URI uri = URI.create("ws://127.0.0.1:" + Chat.port(node) + "/chat");
            Lines ada = new Lines();
            Lines bob = new Lines();
            WebSocket adaWs = client.newWebSocketBuilder().buildAsync(uri, ada).join();
            WebSocket bobWs = client.newWebSocketBuilder().buildAsync(uri, bob).join();
            adaWs.sendText("join lobby", true).join();
            assertThat(ada.next()).isEqualTo("joined lobby (1 here)");
            bobWs.sendText("join lobby", true).join();
            assertThat(bob.next()).isEqualTo("joined lobby (2 here)");
            adaWs.sendText("hello", true).join();
            assertThat(ada.next()).endsWith(": hello");
            assertThat(bob.next()).endsWith(": hello");
            bobWs.abort();
            adaWs.sendText("still there?", true).join();
            assertThat(ada.next()).endsWith(": still there?");
            adaWs.sendClose(1000, "bye").join();
            client.shutdownNow();
        }
    }
}
