package io.ergon.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real etcd (Debian's {@code etcd-server}) for a test: one member on two free loopback ports, its data in a
 * temporary directory, stopped by its pid and the directory removed by {@link #close()}. {@link #start()} skips the
 * test with a message when there is no {@code etcd}.
 */
public final class EtcdServer implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final URI endpoint;

    private EtcdServer(Process process, Path dir, URI endpoint) {
        this.process = process;
        this.dir = dir;
        this.endpoint = endpoint;
    }

    public static EtcdServer start() throws IOException, InterruptedException {
        Path etcd = LocalProgram.find("etcd");
        assumeTrue(etcd != null, "etcd is not installed (Debian: apt-get install etcd-server): skipping this test");
        Path dir = Files.createTempDirectory("ergon-etcd");
        int client = LocalProgram.freePort();
        int peer = LocalProgram.freePort();
        String clientUrl = "http://127.0.0.1:" + client;
        String peerUrl = "http://127.0.0.1:" + peer;
        Process p = new ProcessBuilder(etcd.toString(), "--name", "ergon-test", "--data-dir",
                dir.resolve("data").toString(), "--listen-client-urls", clientUrl, "--advertise-client-urls",
                clientUrl, "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "ergon-test=" + peerUrl)
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        EtcdServer server = new EtcdServer(p, dir, URI.create(clientUrl));
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            boolean up = LocalProgram.await(() -> {
                try {
                    return http.send(HttpRequest.newBuilder(server.endpoint.resolve("/health"))
                                    .timeout(Duration.ofSeconds(1)).build(),
                            HttpResponse.BodyHandlers.ofString()).body().contains("true");
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }, Duration.ofSeconds(20));
            if (!up) {
                String log = Files.readString(dir.resolve("etcd.log"));
                server.close();
                throw new IOException("etcd did not start; its log:\n" + log);
            }
        }
        return server;
    }

    /** The client URL, http://127.0.0.1:PORT. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        LocalProgram.stop(process);
        LocalProgram.deleteTree(dir);
    }
}
