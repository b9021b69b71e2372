package io.ergon.bench.report;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Locale;

/**
 * The floor under any cross-node call figure on this machine: the round trip of one byte over a loopback TCP
 * connection (no-delay, blocking I/O, no framing, no process), as the median of 5 rounds of 20,000; once between two
 * platform threads, once between two virtual threads (whose blocking reads park on the JDK's poller, as a
 * distribution connection's reader does). Prints {@code INFO|loopback TCP round trip (...)|...} lines for the report.
 */
public final class LoopbackRtt {
    private LoopbackRtt() {
    }

    public static void main(String[] args) throws Exception {
        report("bare Java sockets, 1 byte", measure(Thread.ofPlatform().daemon()));
        report("the same between virtual threads", measure(Thread.ofVirtual()));
    }

    private static void report(String what, double[] micros) {
        System.out.printf(Locale.ROOT, "INFO|loopback TCP round trip (%s)|%.0f µs median (%.0f..%.0f), i.e. at most "
                + "%.0fk sequential round trips/s%n", what, micros[2], micros[0], micros[4], 1e3 / micros[2]);
    }

    /** Five rounds' microseconds per round trip, sorted; the echo and the client run as {@code threads} make them. */
    private static double[] measure(Thread.Builder threads) throws Exception {
        double[] micros = new double[5];
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = threads.start(() -> {
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
            Exception[] failure = new Exception[1];
            Thread client = threads.start(() -> {
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
                } catch (Exception e) {
                    failure[0] = e;
                }
            });
            client.join();
            if (failure[0] != null) {
                throw failure[0];
            }
            echo.join(1000);
        }
        Arrays.sort(micros);
        return micros;
    }
}
