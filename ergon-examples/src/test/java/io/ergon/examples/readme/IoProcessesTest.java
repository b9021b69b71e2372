package io.ergon.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Node;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's echo server, with a plain socket as its client. */
class IoProcessesTest {
    @Test
    void theReadmesEchoServerEchoesLines() throws Exception {
        try (Node node = Node.start("readme_io@localhost")) {
            int port = IoProcesses.start(node);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("one\ntwo\n".getBytes(StandardCharsets.UTF_8));
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("one");
                assertThat(in.readLine()).isEqualTo("two");
            }
        }
    }
}
