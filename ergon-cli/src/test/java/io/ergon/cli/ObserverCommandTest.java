package io.ergon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.net.EpmdServer;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code ergon observer NODE}: it serves the observer of NODE's cluster on loopback, read-only, for the time given
 * with {@code --for}; an unreachable node is exit status 1.
 */
class ObserverCommandTest {
    private static final String COOKIE = "cli_observer";

    @Test
    void servesTheClusterReadOnlyOnLoopback() throws Exception {
        int httpPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            httpPort = free.getLocalPort();
        }
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Node target = Node.start("cli_obs@localhost", NodeOptions.defaults().distributed(true).cookie(COOKIE)
                     .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()))) {
            String epmdPort = Integer.toString(epmd.port());
            CompletableFuture<CliTest.Result> run = CompletableFuture.supplyAsync(() -> CliTest.run("observer",
                    "cli_obs@localhost", "--port", Integer.toString(httpPort), "--for", "3", "--interval", "0.2",
                    "-setcookie", COOKIE, "-epmd-port", epmdPort));
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + httpPort + "/");
            String[] sample = new String[1];
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("api/cluster")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    sample[0] = r.body();
                    return r.statusCode() == 200;
                } catch (java.io.IOException notYet) {
                    return false;
                }
            });
            assertThat(sample[0]).contains("\"name\":\"cli_obs@localhost\",\"kind\":\"ergon\"")
                    .contains("\"allowActions\":false");
            HttpResponse<String> kill = http.send(HttpRequest.newBuilder(base.resolve(
                    "api/kill?node=cli_obs@localhost&pid=%3C0.1.0%3E")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(kill.statusCode()).isEqualTo(403);
            CliTest.Result done = run.get(30, TimeUnit.SECONDS);
            assertThat(done.status()).isZero();
            assertThat(done.out()).contains("ergon observer: http://127.0.0.1:" + httpPort + "/ shows "
                    + "cli_obs@localhost's cluster").contains("(read-only)");

            assertThat(CliTest.run("observer", "nobody@localhost", "--for", "1", "-setcookie", COOKIE,
                    "-epmd-port", epmdPort).status()).isEqualTo(1);
        }
        assertThat(CliTest.run("observer", "no-host-part").status()).isEqualTo(2);
    }
}
