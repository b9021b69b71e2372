package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.testkit.ErlangNode;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class EpmdTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void registersLooksUpListsAndUnregistersWhenTheConnectionCloses() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(LOOPBACK, 0)) {
            EpmdClient client = new EpmdClient(LOOPBACK, epmd.port());
            try (EpmdClient.Registration reg = client.register("alpha", 45_001, false)) {
                assertThat(reg.creation()).isNotZero();
                EpmdClient.NodeEntry entry = client.portPlease("alpha");
                assertThat(entry.port()).isEqualTo(45_001);
                assertThat(entry.nodeType()).isEqualTo(EpmdClient.NODE_TYPE_NORMAL);
                assertThat(entry.highestVersion()).isEqualTo(6);
                assertThat(entry.lowestVersion()).isEqualTo(6);
                assertThat(client.names()).extracting(EpmdClient.NodeEntry::name).containsExactly("alpha");
                assertThatThrownBy(() -> client.register("alpha", 45_002, false)).isInstanceOf(EpmdException.class)
                        .hasMessageContaining("in use");
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> client.portPlease("alpha") == null);
            assertThat(client.names()).isEmpty();
        }
    }

    @Test
    void aBadRequestClosesOnlyItsOwnConnection() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(LOOPBACK, 0)) {
            try (Socket s = new Socket(LOOPBACK, epmd.port())) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeShort(3);
                out.write(new byte[] {(byte) 250, 1, 2});
                out.flush();
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            try (Socket s = new Socket(LOOPBACK, epmd.port())) {
                new DataOutputStream(s.getOutputStream()).writeShort(40_000); // promises more than it sends
            }
            EpmdClient client = new EpmdClient(LOOPBACK, epmd.port());
            try (EpmdClient.Registration reg = client.register("still_serving", 45_003, true)) {
                assertThat(client.portPlease("still_serving").nodeType()).isEqualTo(EpmdClient.NODE_TYPE_HIDDEN);
            }
        }
    }

    @Test
    @Tag("erlang")
    void worksWithTheRealEpmdAndTheRealEpmdClient() throws Exception {
        ErlangNode.assumeAvailable();
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, LOOPBACK)) {
            port = free.getLocalPort();
        }
        // the real epmd, in the foreground, owned by this test
        Process epmd = new ProcessBuilder("epmd", "-port", Integer.toString(port), "-address", "127.0.0.1")
                .redirectErrorStream(true).start();
        try {
            EpmdClient client = new EpmdClient(LOOPBACK, port);
            Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.names() != null);
            try (EpmdClient.Registration reg = client.register("ergon_real", 45_004, false)) {
                assertThat(reg.creation()).isNotZero();
                assertThat(client.portPlease("ergon_real").port()).isEqualTo(45_004);
                assertThat(client.names()).extracting(EpmdClient.NodeEntry::name).contains("ergon_real");
                assertThat(epmdNames(port)).contains("name ergon_real at port 45004");
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> client.portPlease("ergon_real") == null);
        } finally {
            epmd.destroy();
            if (!epmd.waitFor(5, TimeUnit.SECONDS)) {
                epmd.destroyForcibly();
            }
        }
        // and the real client against ours
        try (EpmdServer ours = EpmdServer.start(LOOPBACK, 0);
             EpmdClient.Registration reg = new EpmdClient(LOOPBACK, ours.port()).register("listed", 45_005, false)) {
            assertThat(epmdNames(ours.port())).contains("name listed at port 45005");
        }
    }

    private static String epmdNames(int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("epmd", "-port", Integer.toString(port), "-names").redirectErrorStream(true)
                .start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("epmd -names did not finish");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
