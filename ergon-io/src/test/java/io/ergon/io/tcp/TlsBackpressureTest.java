package io.ergon.io.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.io.Active;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BackpressureTest} over TLS: a slow {@code {active, once}} handler holds a flooding TLS client back through
 * TCP, because records are read and decrypted only as the handler asks; the socket holds at most one read, one TLS
 * record not yet decrypted and one record's plaintext.
 */
class TlsBackpressureTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** One read (as BackpressureTest's bound) and two TLS records (one encrypted, one decrypted), with room. */
    private static final int BOUND = 128 + 64 * 1024 + 2 * 18 * 1024;

    @TempDir
    static Path dir;
    static TlsFixture certs;

    private Node node;

    @BeforeAll
    static void certificates() throws IOException {
        certs = TlsFixture.create(dir);
    }

    @BeforeEach
    void start() {
        node = Node.start("tcp_tls_backpressure_test@localhost");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aSlowHandlerPushesBackOnAFloodingTlsClient() throws Exception {
        long total = 16L << 20;
        try (Mailbox probe = node.mailbox()) {
            TcpServer.start(node, TcpServerSpec.of("tls_slow", 0,
                    s -> new BackpressureTest.Slow(s, probe.pid(), Active.once(), 200_000))
                    .bind(InetAddress.getLoopbackAddress()).tls(certs.tls(certs.server)));
            int port = TcpServer.port(node, "tls_slow");
            try (SSLSocket client = certs.jdkClient(port, certs.client, WAIT)) {
                Handlers.Started started = (Handlers.Started) probe.receive(m -> m instanceof Handlers.Started, WAIT);
                AtomicLong sent = new AtomicLong();
                Thread writer = Thread.ofPlatform().daemon().start(() -> flood(client, sent, total));

                // the handler has not asked for anything: the client fills the kernel's buffers and no more
                long stalledAt = awaitStall(sent);
                assertThat(stalledAt).as("what the kernel's buffers took before TCP held the TLS client back")
                        .isLessThan(total);
                assertThat(started.socket().bufferedBytes()).as("at most a record that came with the handshake")
                        .isLessThanOrEqualTo(18 * 1024);
                assertThat(node.info(started.handler()).messageQueueLength()).isZero();

                node.send(started.handler(), BackpressureTest.GO);
                int mostQueued = 0;
                int mostBuffered = 0;
                long deadline = System.nanoTime() + WAIT.toNanos();
                long[] state;
                do {
                    mostQueued = Math.max(mostQueued, node.info(started.handler()).messageQueueLength());
                    mostBuffered = Math.max(mostBuffered, started.socket().bufferedBytes());
                    state = node.call(started.handler(), BackpressureTest.TOTAL);
                } while (state[0] < total && System.nanoTime() < deadline);
                writer.join(WAIT);
                assertThat(state[0]).as("bytes the handler received").isEqualTo(total);
                assertThat(state[1]).as("bytes out of place").isZero();
                assertThat(mostQueued).as("packets waiting in the handler's mailbox").isLessThanOrEqualTo(1);
                assertThat(mostBuffered).as("bytes the socket held").isLessThanOrEqualTo(BOUND);
            }
        }
    }

    /** Writes {@code total} bytes of the pattern, counting them in {@code sent}; stops when the socket closes. */
    private static void flood(SSLSocket client, AtomicLong sent, long total) {
        try {
            OutputStream out = client.getOutputStream();
            byte[] chunk = new byte[16 * 1024];
            while (sent.get() < total) {
                long from = sent.get();
                int n = (int) Math.min(chunk.length, total - from);
                for (int i = 0; i < n; i++) {
                    chunk[i] = BackpressureTest.pattern(from + i);
                }
                out.write(chunk, 0, n);
                sent.addAndGet(n);
            }
            out.flush();
        } catch (IOException closed) {
            // the test is over
        }
    }

    /** Waits until {@code sent} has not moved for half a second (bounded by WAIT) and returns it. */
    private static long awaitStall(AtomicLong sent) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long last = -1;
        int still = 0;
        while (still < 5 && System.nanoTime() < deadline) {
            long now = sent.get();
            still = now == last ? still + 1 : 0;
            last = now;
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        return last;
    }
}
