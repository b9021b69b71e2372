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
 * connection (no-delay, blocking I/O, no framing, no process), as the median of 5 rounds of 20,000: between two
 * platform threads, between two virtual threads in one JVM, and between two virtual threads in two JVMs (the echo in
 * a child JVM this starts and stops), which is where two nodes' connection readers stand. Prints
 * {@code INFO|loopback TCP round trip (...)|...} lines for the report. {@code LoopbackRtt echo} is the child.
 */
public final class LoopbackRtt {
    private LoopbackRtt() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("echo")) {
            echoInThisJvm();
            return;
        }
        report("bare Java sockets, 1 byte, two platform threads", measureInThisJvm(Thread.ofPlatform().daemon()));
        report("two virtual threads in one JVM", measureInThisJvm(Thread.ofVirtual()));
        report("two virtual threads in two JVMs, as between two nodes", measureAcrossJvms());
    }

    private static void report(String what, double[] micros) {
        System.out.printf(Locale.ROOT, "INFO|loopback TCP round trip (%s)|%.0f µs median (%.0f..%.0f), i.e. at most "
                + "%.0fk sequential round trips/s%n", what, micros[2], micros[0], micros[4], 1e3 / micros[2]);
    }

    /** The child: echoes one connection on a virtual thread; prints its port first, exits when the client closes. */
    private static void echoInThisJvm() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            System.out.println(server.getLocalPort());
            System.out.flush();
            Thread.ofVirtual().start(() -> echo(server)).join();
        }
    }

    private static double[] measureAcrossJvms() throws Exception {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"),
                LoopbackRtt.class.getName(), "echo").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String port = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream())).readLine();
            if (port == null) {
                throw new IllegalStateException("the echo JVM did not start");
            }
            return measure(Thread.ofVirtual(), Integer.parseInt(port.trim()));
        } finally {
            child.destroy();
            child.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static void echo(ServerSocket server) {
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
    }

    /** Five rounds against an echo this JVM runs, both ends as {@code threads} makes them. */
    private static double[] measureInThisJvm(Thread.Builder threads) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = threads.start(() -> echo(server));
            double[] micros = measure(threads, server.getLocalPort());
            echo.join(1000);
            return micros;
        }
    }

    /** Five rounds' microseconds per round trip, sorted, from a client that {@code threads} makes, to {@code port}. */
    private static double[] measure(Thread.Builder threads, int port) throws Exception {
        double[] micros = new double[5];
        Exception[] failure = new Exception[1];
        Thread client = threads.start(() -> {
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
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
        Arrays.sort(micros);
        return micros;
    }
}
