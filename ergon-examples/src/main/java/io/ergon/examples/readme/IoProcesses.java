package io.ergon.examples.readme;

import io.ergon.gen.GenServer;
import io.ergon.gen.Strategy;
import io.ergon.gen.Supervisor;
import io.ergon.io.Active;
import io.ergon.io.Packet;
import io.ergon.io.tcp.TcpClosed;
import io.ergon.io.tcp.TcpData;
import io.ergon.io.tcp.TcpOptions;
import io.ergon.io.tcp.TcpServer;
import io.ergon.io.tcp.TcpServerSpec;
import io.ergon.io.tcp.TcpSocket;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.node.Reasons;
import io.ergon.node.TlsOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The README's "I/O as processes" section: its regions between {@code // [snippet ...]} and {@code // [end]} are
 * the README's {@code java} blocks there, word for word.
 */
public final class IoProcesses {
    private IoProcesses() {
    }

    // [snippet io-handler]
    /** One connection's process: echoes each line, taking the next only when done with this one. */
    static final class LineEcho extends GenServer {
        private final TcpSocket socket;

        LineEcho(TcpSocket socket) {
            this.socket = socket;
        }

        @Override
        protected void init() {
            socket.setActive(Active.once());            // {active, once}: one message, then ask again
        }

        @Override
        protected void handleInfo(Object message) {
            switch (message) {
                case TcpData d -> {
                    socket.send(d.data());
                    socket.setActive(Active.once());
                }
                case TcpClosed c -> stop(Reasons.NORMAL);
                default -> { }
            }
        }
    }
    // [end]

    /** Starts the README's echo server under a supervisor, on any free port, and returns the port. */
    public static int start(Node node) {
        // [snippet io-server]
        TcpServerSpec echo = TcpServerSpec.of("echo", 0, LineEcho::new)
                .options(TcpOptions.defaults().packet(Packet.line()));
        Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).child(TcpServer.childSpec(echo)));
        int port = TcpServer.port(node, "echo");                 // a crashed handler closes only its own socket
        // [end]
        return port;
    }

    /**
     * The README's TLS echo server, on any free port, with the certificates of the node's distribution; returns the
     * port.
     */
    public static int startTls(Node node, Path certificate, Path key, Path caBundle) {
        // [snippet io-tls-server]
        TlsOptions tls = TlsOptions.pem(certificate, key, caBundle);       // the node's distribution's, as they are
        TcpServerSpec secure = TcpServerSpec.of("secure_echo", 0, LineEcho::new)
                .options(TcpOptions.defaults().packet(Packet.line()))
                .tls(tls);                                // clients must present a certificate of the CA too
        Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).child(TcpServer.childSpec(secure)));
        // [end]
        return TcpServer.port(node, "secure_echo");
    }

    /** The README's TLS client: one line to {@code host:port} and its echo, as {@code process}. */
    public static String askTls(ProcessContext process, String host, int port, TlsOptions tls) {
        // [snippet io-tls-client]
        TcpSocket socket = TcpSocket.connect(process, host, port,            // returns once the handshake is done
                TcpOptions.defaults().packet(Packet.line()).tls(tls), Duration.ofSeconds(5));
        socket.send("hello\n");
        String echoed = new String(socket.recv(Duration.ofSeconds(5)), StandardCharsets.UTF_8);
        socket.close();                                                      // sends TLS's close_notify
        // [end]
        return echoed;
    }
}
