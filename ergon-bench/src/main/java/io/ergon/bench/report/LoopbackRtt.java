package io.ergon.bench.report;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Locale;

/**
 * The floor under any cross-node call figure on this machine: the round trip of one byte between two platform
 * threads over a loopback TCP connection (no-delay, blocking I/O, no framing, no process), as the median of 5 rounds
 * of 20,000. Prints {@code INFO|loopback TCP round trip (bare Java sockets)|...} for the report.
 */
public final class LoopbackRtt {
    private LoopbackRtt() {
    }

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = server.accept()) {
                    s.setTcpNoDelay(true);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    int b;
                    while ((b = in.read()) >= 0) {
                        out.write(b);
                    }
                } catch (Exception ignored) {
                    // the client closed
                }
            });
            double[] micros = new double[5];
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                c.setTcpNoDelay(true);
                InputStream in = c.getInputStream();
                OutputStream out = c.getOutputStream();
                int n = 20_000;
                for (int round = -1; round < micros.length; round++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        out.write(1);
                        if (in.read() < 0) {
                            throw new IllegalStateException("echo closed");
                        }
                    }
                    if (round >= 0) {
                        micros[round] = (System.nanoTime() - t0) / 1e3 / n;
                    }
                }
            }
            echo.join(1000);
            Arrays.sort(micros);
            System.out.printf(Locale.ROOT, "INFO|loopback TCP round trip (bare Java sockets, 1 byte)|%.0f µs median "
                    + "(%.0f..%.0f), i.e. at most %.0fk sequential round trips/s%n", micros[2], micros[0], micros[4],
                    1e3 / micros[2]);
        }
    }
}
