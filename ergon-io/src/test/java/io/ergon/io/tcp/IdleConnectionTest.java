package io.ergon.io.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.ergon.node.Node;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle connection, whose handler waits for data ({@code {active, once}}), holds no thread: the JVM's own thread
 * dump, which lists virtual threads too, counts as many threads with many such connections as with none. So does an
 * idle TLS connection: its handshake ran on the pollers, and nothing waits on it after.
 */
class IdleConnectionTest {
    private static final int CONNECTIONS = 200;
    /** Fewer with TLS: each handshake costs both sides some milliseconds of CPU. */
    private static final int TLS_CONNECTIONS = 50;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Node node;

    @BeforeEach
    void start() {
        node = Node.start("idle_connection_test@localhost");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /** A client connected to a port, ready to talk. */
    private interface Client {
        Socket connect(int port) throws IOException;
    }

    @Test
    void idleConnectionsWaitingForDataHoldNoThreads(@TempDir Path dir) throws Exception {
        TcpServerSpec spec = TcpServerSpec.of("idle", 0, Handlers.Echo::new).bind(InetAddress.getLoopbackAddress());
        idleConnectionsHoldNoThreads(spec, CONNECTIONS, port -> new Socket(InetAddress.getLoopbackAddress(), port),
                dir);
    }

    @Test
    void idleTlsConnectionsWaitingForDataHoldNoThreads(@TempDir Path dir) throws Exception {
        TlsFixture certs = TlsFixture.create(dir);
        TcpServerSpec spec = TcpServerSpec.of("idle", 0, Handlers.Echo::new).bind(InetAddress.getLoopbackAddress())
                .tls(certs.tls(certs.server));
        idleConnectionsHoldNoThreads(spec, TLS_CONNECTIONS, port -> certs.jdkClient(port, certs.client, WAIT), dir);
    }

    private void idleConnectionsHoldNoThreads(TcpServerSpec spec, int connections, Client client, Path dir)
            throws Exception {
        TcpServer.start(node, spec);
        int port = TcpServer.port(node, "idle");
        List<Socket> clients = new ArrayList<>();
        try {
            // one connection first, so that what a server starts once (its poller) is there before the count
            clients.add(echoedOnce(client, port));
            int before = threads(dir.resolve("before.json"));
            for (int i = 1; i < connections; i++) {
                clients.add(echoedOnce(client, port));
            }
            Awaitility.await().atMost(WAIT).until(() -> TcpServer.connections(node, "idle").size() == connections);
            int after = threads(dir.resolve("after.json"));
            assertThat(after - before).as("threads more with %d idle connections than with one", connections - 1)
                    .isLessThan(connections / 10);
            // and they still answer: each has its handler waiting for its next packet
            for (Socket s : clients) {
                assertThat(roundTrip(s)).isEqualTo(9);
            }
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    private static Socket echoedOnce(Client client, int port) throws IOException {
        Socket s = client.connect(port);
        s.setSoTimeout((int) WAIT.toMillis());
        assertThat(roundTrip(s)).isEqualTo(9);
        return s;
    }

    private static int roundTrip(Socket s) throws IOException {
        s.getOutputStream().write(9);
        s.getOutputStream().flush();
        return new DataInputStream(s.getInputStream()).readUnsignedByte();
    }

    /** Platform and virtual threads, from the JVM's JSON thread dump. */
    private static int threads(Path file) throws IOException {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        Matcher m = Pattern.compile("\"tid\"").matcher(Files.readString(file));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
