package io.ergon.io.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * bench/io.sh's load, the same against both echo servers:
 * <ul>
 *   <li>{@code hold PORT N}: opens N connections, one echo on each (so each has its handler), prints {@code held N},
 *       and keeps them until stdin ends;</li>
 *   <li>{@code echo PORT CONNECTIONS SECONDS SIZE}: a virtual thread per connection, one message of SIZE bytes in
 *       flight on each; prints the round trips per second after a second of warm-up, and all the round trips made
 *       (warm-up included);</li>
 *   <li>{@code accept PORT THREADS SECONDS}: each thread connects, echoes one byte and closes, over and over; prints
 *       the connections per second after a second of warm-up, as {@code echo} does, and all the connections made
 *       (warm-up included).</li>
 * </ul>
 */
public final class EchoLoad {
    private EchoLoad() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        switch (args[0]) {
            case "hold" -> hold(port, Integer.parseInt(args[2]));
            case "echo" -> echo(port, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "accept" -> accept(port, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static Socket open(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(30_000);
        return s;
    }

    private static void roundTrip(Socket s, byte[] message, byte[] reply) throws IOException {
        s.getOutputStream().write(message);
        new DataInputStream(s.getInputStream()).readFully(reply);
    }

    private static void hold(int port, int n) throws Exception {
        List<Socket> sockets = new ArrayList<>(n);
        byte[] one = {42};
        byte[] back = new byte[1];
        for (int i = 0; i < n; i++) {
            Socket s = open(port);
            roundTrip(s, one, back);
            sockets.add(s);
        }
        System.out.println("held " + sockets.size());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the script closes our stdin
        }
        for (Socket s : sockets) {
            s.close();
        }
    }

    private static void echo(int port, int connections, int seconds, int size) throws Exception {
        LongAdder trips = new LongAdder();
        LongAdder all = new LongAdder();
        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Socket s = open(port);
            threads.add(Thread.ofVirtual().start(() -> {
                byte[] message = new byte[size];
                byte[] reply = new byte[size];
                try (s) {
                    while (running.get()) {
                        roundTrip(s, message, reply);
                        all.increment();
                        if (counting.get()) {
                            trips.increment();
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        Thread.sleep(1000); // a benchmark's warm-up second, uncounted
        counting.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L); // the measured period
        long counted = trips.sum();
        double elapsed = (System.nanoTime() - start) / 1e9;
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf("echo %.0f %d%n", counted / elapsed, all.sum());
    }

    private static void accept(int port, int threadCount, int seconds) throws Exception {
        LongAdder accepted = new LongAdder();
        LongAdder all = new LongAdder();
        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < threadCount; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                byte[] one = {7};
                byte[] back = new byte[1];
                while (running.get()) {
                    try (Socket s = open(port)) {
                        s.setSoLinger(true, 0);
                        roundTrip(s, one, back);
                        all.increment();
                        if (counting.get()) {
                            accepted.increment();
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        Thread.sleep(1000); // a benchmark's warm-up second, uncounted
        counting.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L); // the measured period
        long counted = accepted.sum();
        double elapsed = (System.nanoTime() - start) / 1e9;
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        OutputStream out = System.out;
        out.write(String.format("accept %.0f %d%n", counted / elapsed, all.sum()).getBytes());
        out.flush();
    }
}
