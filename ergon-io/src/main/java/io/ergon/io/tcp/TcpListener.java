package io.ergon.io.tcp;

import io.ergon.gen.GenServer;
import io.ergon.gen.Supervisor;
import io.ergon.gen.SupervisorClient;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's listening socket and its acceptors: virtual threads blocked in {@code accept}, each starting a handler
 * under the connections supervisor for every connection it takes. It traps exits, so that its supervisor's
 * shutdown runs {@link #terminate}, which closes the listening socket and waits for the acceptors to end.
 */
final class TcpListener extends GenServer {
    static final Atom PORT = Atom.of("port");
    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);

    /** An acceptor's accept failed for another reason than the socket's close: the listener restarts. */
    private record AcceptFailed(IOException cause) {
    }

    private final TcpServerSpec spec;
    private final List<Thread> acceptors = new ArrayList<>();
    private ServerSocketChannel server;
    private int port;

    TcpListener(TcpServerSpec spec) {
        this.spec = spec;
    }

    @Override
    protected void init() throws IOException {
        trapExit(true);
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(spec.address(), spec.port()), spec.backlog());
        port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        Node node = node();
        Pid self = self();
        String connections = TcpServer.connectionsName(spec.name());
        for (int i = 0; i < spec.acceptors(); i++) {
            acceptors.add(Thread.ofVirtual().name("ergon-tcp-acceptor-" + spec.name() + "-" + i)
                    .start(() -> accept(node, self, connections)));
        }
    }

    @Override
    protected Object handleCall(Object request, From from) {
        if (PORT.equals(request)) {
            return port;
        }
        throw new IllegalArgumentException("unknown request " + request);
    }

    @Override
    protected void handleInfo(Object message) throws IOException {
        if (message instanceof AcceptFailed(IOException cause)) {
            throw cause;
        }
    }

    @Override
    protected void terminate(Object reason) {
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("closing {}'s listening socket: {}", spec.name(), e.toString());
        }
        for (Thread t : acceptors) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One acceptor's loop: it ends when the listening socket closes. */
    private void accept(Node node, Pid listener, String connections) {
        try (Mailbox mailbox = node.mailbox()) {
            SupervisorClient supervisor = Supervisor.client(mailbox, connections);
            while (server.isOpen()) {
                SocketChannel s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    if (server.isOpen()) {
                        node.send(listener, new AcceptFailed(e));
                    }
                    return;
                }
                startHandler(node, supervisor, s);
            }
        }
    }

    private void startHandler(Node node, SupervisorClient supervisor, SocketChannel s) {
        TcpSocket socket = null;
        try {
            socket = TcpSocket.accepted(node, s, spec.options());
            Optional<Pid> handler = supervisor.startDynamic(socket);
            if (handler.isPresent()) {
                socket.handOver(handler.get());
            } else {
                socket.close();
            }
        } catch (IOException | RuntimeException e) {
            // the handler refused to start (its init failed), or the connection failed before: this one only
            LOG.debug("{}: no handler for a connection from {}: {}", spec.name(), s.socket().getRemoteSocketAddress(),
                    e.toString());
            if (socket != null) {
                socket.close();
            } else {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // already failed
                }
            }
        }
    }
}
