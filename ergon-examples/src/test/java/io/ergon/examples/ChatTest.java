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
import io.ergon.net.Pg;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Tuple;
import io.ergon.testkit.ErlangNode;
import io.ergon.testkit.TestCluster;
import io.ergon.testkit.TestProbe;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The chat with two JDK WebSocket clients in one room, and an Erlang node listening in through {@code pg}. */
class ChatTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestCluster cluster = TestCluster.create();

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

    @Test
    void anErlangNodeInTheClusterHearsWhatIsSaidThroughPg() throws Exception {
        ErlangNode.assumeAvailable();
        Node node = cluster.ergon("chat_pg");
        try (TestProbe probe = TestProbe.create(node, "chat_probe");
             HttpClient client = HttpClient.newHttpClient()) {
            Chat.start(node, 0);
            ErlangNode erl = cluster.erlang("chat_listener");
            String ergon = "'" + node.name().name() + "'";
            // an Erlang process that joins the lobby's group and hands on what it hears to the test's probe
            assertThat(erl.eval("pong = net_adm:ping(" + ergon + "), {ok, _} = pg:start(pg), "
                    + "Self = self(), L = spawn(fun() -> pg:join({chat, <<\"lobby\">>}, self()), Self ! joined, "
                    + "(fun F() -> receive M -> {chat_probe, " + ergon + "} ! {heard, M}, F() end end)() end), "
                    + "receive joined -> ok after 5000 -> timeout end.")).isEqualTo("ok");
            Pg groups = Pg.of(node);
            Awaitility.await().atMost(WAIT).until(() -> groups.members(Chat.listeners("lobby")).size() == 1);
            URI uri = URI.create("ws://127.0.0.1:" + Chat.port(node) + "/chat");
            Lines ada = new Lines();
            WebSocket adaWs = client.newWebSocketBuilder().buildAsync(uri, ada).join();
            adaWs.sendText("join lobby", true).join();
            assertThat(ada.next()).isEqualTo("joined lobby (1 here)");
            adaWs.sendText("hello Erlang", true).join();
            assertThat(ada.next()).endsWith(": hello Erlang");
            Tuple heard = probe.expectMessageClass(Tuple.class);
            assertThat(heard.get(0)).isEqualTo(Atom.of("heard"));
            Tuple line = (Tuple) heard.get(1);
            assertThat(line.get(0)).isEqualTo(Atom.of("chat_line"));
            assertThat(line.get(1)).isEqualTo(Binary.of("lobby"));
            assertThat(((Binary) line.get(2)).utf8()).endsWith(": hello Erlang");
            adaWs.sendClose(1000, "bye").join();
        }
    }
}
