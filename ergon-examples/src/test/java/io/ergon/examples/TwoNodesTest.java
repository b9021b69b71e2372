package io.ergon.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.net.EpmdServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TwoNodesTest {
    @Test
    void theMessageCrossesFromNode2ToNode1InOneProcess() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            assertThat(TwoNodes.run(epmd.port(), Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void theMessageCrossesBetweenTwoOsProcesses() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            String port = Integer.toString(epmd.port());
            Process node1 = start("node1", port);
            try {
                List<String> out1 = new CopyOnWriteArrayList<>();
                CountDownLatch waiting = new CountDownLatch(1);
                Thread reader1 = Thread.ofVirtual().start(() -> read(node1, out1, waiting));
                assertThat(waiting.await(30, TimeUnit.SECONDS)).as("node1 started: %s", out1).isTrue();
                Process node2 = start("node2", port);
                List<String> out2 = new CopyOnWriteArrayList<>();
                Thread reader2 = Thread.ofVirtual().start(() -> read(node2, out2, new CountDownLatch(1)));
                assertThat(node2.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(node1.waitFor(30, TimeUnit.SECONDS)).isTrue();
                // the readers end at the processes' end of output: then the lines are all in
                assertThat(reader1.join(Duration.ofSeconds(30)) && reader2.join(Duration.ofSeconds(30))).isTrue();
                assertThat(out2.toString()).contains("node2: sent \"Hello from node 2!\"");
                assertThat(out1.toString()).contains("got message: <<\"Hello from node 2!\">>",
                        "node1: node1Process received the message from node 2.");
            } finally {
                node1.destroyForcibly();
            }
        }
    }

    private static Process start(String role, String epmdPort) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), TwoNodes.class.getName(), role,
                epmdPort).redirectErrorStream(true).start();
    }

    private static void read(Process p, List<String> lines, CountDownLatch waiting) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (line.contains("waiting for node 2")) {
                    waiting.countDown();
                }
            }
        } catch (Exception ignored) {
            // the process ended
        }
    }
}
