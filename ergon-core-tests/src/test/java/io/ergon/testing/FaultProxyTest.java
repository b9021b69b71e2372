package io.ergon.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.testing.FaultProxy.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FaultProxy against an echo server on loopback: each fault does what it says, and close leaves nothing behind. */
class FaultProxyTest {
    private ServerSocket echo;
    private final List<Socket> echoed = new ArrayList<>();
    private FaultProxy proxy;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    synchronized (echoed) {
                        echoed.add(s);
                    }
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException ignored) {
                            // the test reset it
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = FaultProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()), 4, 7);
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
        synchronized (echoed) {
            for (Socket s : echoed) {
                s.close();
            }
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** Writes {@code data} from another thread and reads as many bytes back. */
    private static byte[] roundTrip(Socket s, byte[] data) throws Exception {
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                s.getOutputStream().write(data);
                s.getOutputStream().flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] back = s.getInputStream().readNBytes(data.length);
        sent.get(10, TimeUnit.SECONDS);
        return back;
    }

    @Test
    void forwardsEveryByteInOrderBothWays() throws Exception {
        byte[] data = randomBytes(2_000_000);
        try (Socket s = connect()) {
            assertThat(roundTrip(s, data)).isEqualTo(data);
        }
    }

    @Test
    void latencyAndJitterDelayButKeepOrder() throws Exception {
        proxy.latency(Direction.UPSTREAM, Duration.ofMillis(150), Duration.ofMillis(50))
                .latency(Direction.DOWNSTREAM, Duration.ofMillis(100), Duration.ofMillis(50));
        byte[] data = randomBytes(300_000);
        try (Socket s = connect()) {
            long start = System.nanoTime();
            byte[] back = roundTrip(s, data);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(250);
            assertThat(back).isEqualTo(data);
        }
    }

    @Test
    void aStallHoldsTheBytesUntilItIsLifted() throws Exception {
        byte[] data = randomBytes(100_000);
        try (Socket s = connect()) {
            assertThat(roundTrip(s, new byte[] {1})).containsExactly(1);
            proxy.stall(Direction.DOWNSTREAM, true);
            s.getOutputStream().write(data);
            s.setSoTimeout(500);
            InputStream in = s.getInputStream();
            assertThatThrownBy(in::read).isInstanceOf(java.net.SocketTimeoutException.class);
            proxy.stall(Direction.DOWNSTREAM, false);
            s.setSoTimeout(10_000);
            assertThat(in.readNBytes(data.length)).isEqualTo(data);
        }
    }

    @Test
    void bandwidthLimitSlowsTheTransfer() throws Exception {
        proxy.bandwidth(Direction.UPSTREAM, 100_000);
        byte[] data = randomBytes(150_000);
        try (Socket s = connect()) {
            long start = System.nanoTime();
            assertThat(roundTrip(s, data)).isEqualTo(data);
            // 150 KB at 100 KB/s: at least a second, however fast the machine
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(1_000);
        }
        proxy.heal();
        try (Socket s = connect()) {
            assertThat(roundTrip(s, data)).isEqualTo(data);
        }
    }

    @Test
    void resetEndsEveryConnectionWithAnRstAndNewOnesStillWork() throws Exception {
        try (Socket a = connect(); Socket b = connect()) {
            assertThat(roundTrip(a, new byte[] {1})).containsExactly(1);
            assertThat(roundTrip(b, new byte[] {2})).containsExactly(2);
            proxy.stall(Direction.UPSTREAM, true);
            assertThat(proxy.reset()).isEqualTo(2);
            for (Socket s : List.of(a, b)) {
                assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class)
                        .hasMessageContaining("reset");
            }
            proxy.heal();
            try (Socket c = connect()) {
                assertThat(roundTrip(c, new byte[] {3})).containsExactly(3);
            }
        }
        assertThat(proxy.resets()).isEqualTo(2);
    }

    @Test
    void connectionsPastTheBoundAreReset() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket s = connect();
                open.add(s);
                assertThat(roundTrip(s, new byte[] {(byte) i})).containsExactly(i);
            }
            try (Socket fifth = connect()) {
                assertThatThrownBy(() -> {
                    int r = fifth.getInputStream().read();
                    throw new IOException("read " + r);
                }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
            }
            assertThat(proxy.openConnections()).isEqualTo(4);
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void closeEndsEveryConnectionAndEveryThread() throws Exception {
        Socket a = connect();
        proxy.stall(Direction.UPSTREAM, true).latency(Direction.DOWNSTREAM, Duration.ofSeconds(30), Duration.ZERO);
        a.getOutputStream().write(randomBytes(100_000));
        proxy.close();
        assertThatThrownBy(() -> a.getInputStream().read()).isInstanceOf(SocketException.class);
        a.close();
        assertThat(proxyThreads()).isEmpty();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), proxy.port()).close())
                .isInstanceOf(IOException.class);
    }

    private static List<String> proxyThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("fault-proxy-")).toList();
    }
}
