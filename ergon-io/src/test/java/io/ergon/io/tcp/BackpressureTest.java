package io.ergon.io.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.gen.GenServer;
import io.ergon.io.Active;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow handler holds a flooding client back through TCP: with {@code {active, once}} its mailbox holds at most one
 * packet and its socket at most one read, whatever the client sends; with {@code {active, true}} the same handler's
 * mailbox grows, which is what the flow control prevents. Over TLS too, as records are read and decrypted only as
 * the handler asks: the socket holds at most one TLS record not yet decrypted and one record's plaintext beside.
 */
class BackpressureTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    static final Atom GO = Atom.of("go");
    static final Atom TOTAL = Atom.of("total");
    /** The most one reader turn holds: its first read and what it read after it. */
    private static final int ONE_READ = 128 + 64 * 1024;
    /** A TLS record, encrypted or not, with room: what a TLS socket may hold beside (one of each). */
    private static final int TLS_RECORD = 18 * 1024;

    private Node node;

    @BeforeEach
    void start() {
        node = Node.start("tcp_backpressure_test@localhost");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /** Counts and checks the bytes (byte i of the stream is {@code pattern(i)}), taking {@code workNanos} on each packet. */
    static final class Slow extends GenServer {
        private final TcpSocket socket;
        private final Pid probe;
        private final Active mode;
        private final long workNanos;
        private long received;
        private long wrong;

        Slow(TcpSocket socket, Pid probe, Active mode, long workNanos) {
            this.socket = socket;
            this.probe = probe;
            this.mode = mode;
            this.workNanos = workNanos;
        }

        @Override
        protected void init() {
            send(probe, new Handlers.Started(self(), socket));
        }

        @Override
        protected Object handleCall(Object request, From from) {
            return new long[] {received, wrong};
        }

        @Override
        protected void handleInfo(Object message) {
            if (GO.equals(message)) {
                socket.setActive(mode);
            } else if (message instanceof TcpData d) {
                for (byte b : d.data()) {
                    if (b != pattern(received++)) {
                        wrong++;
                    }
                }
                LockSupport.parkNanos(workNanos);
                if (mode instanceof Active.Once) {
                    socket.setActive(Active.once());
                }
            }
        }
    }

    /** What a slow handler's run showed: the bytes it took and those out of place, and the most held on the way. */
    record Peaks(long received, long wrong, int mostQueued, int mostBuffered) {
        /** The handler got all {@code total} bytes in order, with one packet queued at most and its bound held. */
        void check(long total, int bufferBound) {
            assertThat(received).as("bytes the handler received").isEqualTo(total);
            assertThat(wrong).as("bytes out of place").isZero();
            assertThat(mostQueued).as("packets waiting in the handler's mailbox").isLessThanOrEqualTo(1);
            assertThat(mostBuffered).as("bytes the socket held").isLessThanOrEqualTo(bufferBound);
        }
    }

    /** Watches a {@link Slow} handler (turned on already) until it has {@code total} bytes, or WAIT is up. */
    static Peaks watch(Node node, Handlers.Started started, long total) {
        int mostQueued = 0;
        int mostBuffered = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        long[] state;
        do {
            mostQueued = Math.max(mostQueued, node.info(started.handler()).messageQueueLength());
            mostBuffered = Math.max(mostBuffered, started.socket().bufferedBytes());
            state = node.call(started.handler(), TOTAL);
        } while (state[0] < total && System.nanoTime() < deadline);
        return new Peaks(state[0], state[1], mostQueued, mostBuffered);
    }

    static byte pattern(long i) {
        return (byte) (i * 31 + (i >>> 11));
    }

    @Test
    void aSlowHandlerPushesBackOnAFloodingClient() throws Exception {
        long total = 32L << 20;
        try (Mailbox probe = node.mailbox()) {
            TcpServer.start(node, TcpServerSpec.of("slow", 0,
                    s -> new Slow(s, probe.pid(), Active.once(), 200_000)).bind(InetAddress.getLoopbackAddress()));
            int port = TcpServer.port(node, "slow");
            try (SocketChannel client = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                Handlers.Started started = (Handlers.Started) probe.receive(m -> m instanceof Handlers.Started, WAIT);
                // the handler has not asked for anything: the client fills the kernel's buffers and no more
                client.configureBlocking(false);
                long written = 0;
                ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                while (written < total) {
                    fill(chunk, written);
                    int n = client.write(chunk);
                    if (n == 0) {
                        break;
                    }
                    written += n;
                }
                assertThat(written).as("what the kernel's buffers took before TCP held the client back")
                        .isLessThan(total);
                assertThat(started.socket().bufferedBytes()).as("nothing read while passive").isZero();
                assertThat(node.info(started.handler()).messageQueueLength()).isZero();

                // the handler now reads, slowly: the client sends the rest as fast as it is let
                client.configureBlocking(true);
                AtomicLong sent = new AtomicLong(written);
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
                        while (sent.get() < total) {
                            fill(b, sent.get());
                            if (b.remaining() > total - sent.get()) {
                                b.limit((int) (total - sent.get()));
                            }
                            sent.addAndGet(client.write(b));
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                node.send(started.handler(), GO);
                Peaks peaks = watch(node, started, total);
                writer.join(WAIT);
                peaks.check(total, ONE_READ);
            }
        }
    }

    @Test
    void withoutFlowControlTheSameHandlersMailboxGrows() throws Exception {
        long total = 16L << 20;
        try (Mailbox probe = node.mailbox()) {
            TcpServer.start(node, TcpServerSpec.of("flooded", 0,
                    s -> new Slow(s, probe.pid(), Active.always(), 1_000_000)).bind(InetAddress.getLoopbackAddress()));
            int port = TcpServer.port(node, "flooded");
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                Handlers.Started started = (Handlers.Started) probe.receive(m -> m instanceof Handlers.Started, WAIT);
                node.send(started.handler(), GO);
                OutputStream out = client.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                for (long written = 0; written < total; written += chunk.length) {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = pattern(written + i);
                    }
                    out.write(chunk);
                }
                int mostQueued = node.info(started.handler()).messageQueueLength();
                assertThat(mostQueued).as("packets piled up in the mailbox of a slow {active, true} handler")
                        .isGreaterThan(16);
            }
        }
    }

    @Test
    void aSlowHandlerPushesBackOnAFloodingTlsClient(@TempDir Path dir) throws Exception {
        TlsFixture certs = TlsFixture.create(dir);
        long total = 16L << 20;
        try (Mailbox probe = node.mailbox()) {
            TcpServer.start(node, TcpServerSpec.of("tls_slow", 0,
                    s -> new Slow(s, probe.pid(), Active.once(), 200_000))
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
                        .isLessThanOrEqualTo(TLS_RECORD);
                assertThat(node.info(started.handler()).messageQueueLength()).isZero();

                node.send(started.handler(), GO);
                Peaks peaks = watch(node, started, total);
                writer.join(WAIT);
                peaks.check(total, ONE_READ + 2 * TLS_RECORD);
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
                    chunk[i] = pattern(from + i);
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

    private static void fill(ByteBuffer b, long from) {
        b.clear();
        for (int i = 0; i < b.capacity(); i++) {
            b.put(pattern(from + i));
        }
        b.flip();
    }
}
