package io.ergon.io.bench;

import io.ergon.gen.GenServer;
import io.ergon.io.Active;
import io.ergon.io.tcp.TcpClosed;
import io.ergon.io.tcp.TcpData;
import io.ergon.io.tcp.TcpOptions;
import io.ergon.io.tcp.TcpServer;
import io.ergon.io.tcp.TcpServerSpec;
import io.ergon.io.tcp.TcpSocket;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * bench/io.sh's Ergon echo server: a {@link TcpServer} whose handlers echo with {@code {active, once}}, as the
 * Erlang escript beside it does. Prints {@code port N}; then answers {@code mem} on stdin with the heap in use after
 * a full collection and the process's RSS, in bytes, and ends on {@code quit} or the end of stdin.
 */
public final class EchoServerMain {
    private EchoServerMain() {
    }

    /** One connection: echo each packet, then ask for the next (the TCP tests' echo handler too). */
    public static class Echo extends GenServer {
        private final TcpSocket socket;

        public Echo(TcpSocket socket) {
            this.socket = socket;
        }

        @Override
        protected void init() {
            socket.setActive(Active.once());
        }

        @Override
        protected void handleInfo(Object message) throws Exception {
            if (message instanceof TcpData d) {
                socket.send(d.data());
                socket.setActive(Active.once());
            } else if (message instanceof TcpClosed) {
                stop(Reasons.NORMAL);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int acceptors = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        try (Node node = Node.start("bench_io@localhost")) {
            TcpServer.start(node, TcpServerSpec.of("echo", 0, Echo::new).acceptors(acceptors).backlog(4096)
                    .options(TcpOptions.defaults().noDelay(true)));
            System.out.println("port " + TcpServer.port(node, "echo"));
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
                if (line.equals("mem")) {
                    System.gc();
                    System.gc();
                    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    System.out.println("mem " + heap + " " + rss() + " " + node.processCount());
                    System.out.flush();
                }
            }
        }
    }

    static long rss() throws java.io.IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
