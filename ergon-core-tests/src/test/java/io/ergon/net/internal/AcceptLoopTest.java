package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.testkit.ChildJvm;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * A node whose process runs out of file descriptors goes on accepting once they come back, and so does an EPMD in
 * the same process (issue 19: both stopped accepting for good, the node still registered in EPMD, where Erlang
 * recovers). The probe runs in a JVM of its own under
 * {@code ulimit -n 512}, so that exhausting descriptors harms nothing else.
 */
class AcceptLoopTest {
    @Test
    @Timeout(120)
    void theAcceptLoopOutlivesFileDescriptorExhaustion() throws Exception {
        // bash lowers the limit, then execs the java command that follows its script ("$@")
        List<String> underLimit = List.of("bash", "-c", "ulimit -n 512 && exec \"$@\"", "ulimit");
        try (ChildJvm probe = ChildJvm.start(ChildJvm.Options.defaults().launcher(underLimit).readyWhen(null),
                FdExhaustionProbe.class, Duration.ofSeconds(90))) {
            probe.awaitExit(Duration.ofSeconds(90));
            assertThat(String.join("\n", probe.lines())).as("the probe's output").contains("EXHAUSTED after")
                    .contains("RECOVERED").doesNotContain("NOT RECOVERED").contains("EPMD SERVES");
        }
    }

    /**
     * What an accept hands over may fail with an {@link Error} (no memory for the handshake's thread while a flood
     * fills the heap): the socket is closed and the loop goes on accepting, where it used to end for good.
     */
    @Test
    @Timeout(30)
    void theAcceptLoopOutlivesAnError() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
            AtomicInteger accepted = new AtomicInteger();
            AtomicBoolean stopped = new AtomicBoolean();
            LinkedBlockingQueue<Socket> handed = new LinkedBlockingQueue<>();
            Thread loop = Thread.ofVirtual().start(() -> AcceptLoop.run(server, stopped::get,
                    LoggerFactory.getLogger(AcceptLoopTest.class), "accept-loop-test", s -> {
                        int n = accepted.incrementAndGet();
                        if (n == 1) {
                            throw new OutOfMemoryError("on purpose, in a test: unable to create a thread");
                        }
                        if (n == 2) {
                            throw new IllegalStateException("on purpose, in a test: a handler that throws");
                        }
                        handed.add(s);
                    }));
            try (Socket first = new Socket(loopback, server.getLocalPort());
                 Socket second = new Socket(loopback, server.getLocalPort());
                 Socket third = new Socket(loopback, server.getLocalPort())) {
                first.setSoTimeout(10_000);
                assertThat(first.getInputStream().read()).as("the failed connection is closed").isEqualTo(-1);
                Socket s = handed.poll(10, TimeUnit.SECONDS);
                assertThat(s).as("a connection accepted after the Error").isNotNull();
                s.close();
                assertThat(accepted.get()).isEqualTo(3);
                assertThat(loop.isAlive()).isTrue();
            } finally {
                stopped.set(true);
                server.close();
                loop.join(10_000);
            }
            assertThat(loop.isAlive()).isFalse();
        }
    }
}
