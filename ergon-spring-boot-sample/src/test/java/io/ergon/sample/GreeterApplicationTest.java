package io.ergon.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.net.EpmdServer;
import io.ergon.node.Node;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample as it runs: HTTP requests and a real Erlang node's {@code gen_server:call} reach the same supervised
 * process, Actuator reports the node, and closing the context stops the node (Erlang then gets {@code pang}). The
 * Erlang part runs when {@code erl} is on the PATH and says so when it is not.
 */
class GreeterApplicationTest {
    private static final String NODE = "greeter_test@localhost";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesHttpAndErlangAsOnePeerAndStopsWithTheContext() throws Exception {
        String cookie = "sample" + ThreadLocalRandom.current().nextInt(1_000_000);
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            // command-line arguments: they override application.yml, as an operator's would
            ConfigurableApplicationContext context = new SpringApplicationBuilder(GreeterApplication.class)
                    .run("--server.port=0", "--ergon.name=" + NODE, "--ergon.cookie=" + cookie,
                            "--ergon.epmd-port=" + epmd.port(), "--ergon.listen-address=127.0.0.1");
            Node node = context.getBean(Node.class);
            try {
                int port = ((WebServerApplicationContext) context).getWebServer().getPort();
                assertThat(get(port, "/greet/Ada")).isEqualTo("Hello Ada (#1)");
                assertThat(get(port, "/actuator/health")).contains("\"ergon\"", "\"status\":\"UP\"", NODE);

                if (erlInstalled()) {
                    String out = erl(epmd.port(), cookie, "P = net_adm:ping('" + NODE + "'), "
                            + "R = gen_server:call({greeter, '" + NODE + "'}, {greet, <<\"Erlang\">>}), "
                            + "io:format(\"~p ~p~n\", [P, R])");
                    assertThat(out).as("Erlang's ping and gen_server:call").contains("pong <<\"Hello Erlang (#2)\">>");
                    assertThat(get(port, "/greet/Bo")).as("the same process served both").isEqualTo("Hello Bo (#3)");
                } else {
                    System.err.println("GreeterApplicationTest: erl not found, the Erlang part is skipped");
                }
            } finally {
                context.close();
            }
            assertThat(node.awaitTermination(Duration.ofSeconds(10))).as("the node stopped with the context").isTrue();
            if (erlInstalled()) {
                assertThat(erl(epmd.port(), cookie, "io:format(\"~p~n\", [net_adm:ping('" + NODE + "')])"))
                        .contains("pang");
            }
        }
    }

    private String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }

    static boolean erlInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (new java.io.File(dir, "erl").canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code expression} on a fresh Erlang node (its own, stopped after) and returns what it printed. */
    private static String erl(int epmdPort, String cookie, String expression) throws Exception {
        String name = "erl_sample_" + ThreadLocalRandom.current().nextInt(1_000_000) + "@localhost";
        ProcessBuilder pb = new ProcessBuilder("erl", "-sname", name, "-setcookie", cookie, "-noshell",
                "-eval", expression + ", halt().").redirectErrorStream(true);
        pb.environment().putAll(Map.of("ERL_EPMD_PORT", Integer.toString(epmdPort)));
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("erl finished").isTrue();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }
}
