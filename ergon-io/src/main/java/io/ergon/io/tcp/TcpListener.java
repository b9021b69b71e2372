package io.ergon.io.tcp;

import io.ergon.gen.GenServer;
import io.ergon.gen.Supervisor;
import io.ergon.gen.SupervisorClient;
import io.ergon.io.internal.Poller;
import io.ergon.node.From;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's listening socket, and the process that accepts its connections: a poller tells it when connections
 * wait, and it takes them from the backlog (up to the spec's {@code acceptors} in one turn before it looks at its
 * mailbox again), starting a handler for each under the connections supervisor with a call of its own, process to
 * process, so that no thread waits in {@code accept} and no plain thread's call crosses into the node's scheduler.
 * It traps exits, so that its supervisor's shutdown runs {@link #terminate}, which closes the listening socket; a
 * failure of {@code accept} other than its close (no file descriptors left, say) crashes it, and its supervisor
 * starts it again. A listener killed (no {@code terminate}) has its socket closed by the runtime as it exits (an
 * exit hook, {@link Node#addExitHook}), as an Erlang listening port closes with its owner; the one its supervisor
 * starts meanwhile waits up to {@link #REBIND_WAIT} for the port to be free.
 */
final class TcpListener extends GenServer {
    static final Atom PORT = Atom.of("port");
    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);
    /** How long a listener waits for its port while a killed predecessor's socket closes. */
    static final Duration REBIND_WAIT = Duration.ofSeconds(2);

    /** The poller saw connections waiting in the backlog. */
    private enum Acceptable { INSTANCE }

    private final TcpServerSpec spec;
    private ServerSocketChannel server;
    private Poller.Registration registration;
    private SupervisorClient connections;
    private SSLContext tls;
    private int port;

    TcpListener(TcpServerSpec spec) {
        this.spec = spec;
    }

    @Override
    protected void init() throws IOException {
        trapExit(true);
        if (spec.options().tls().enabled()) {
            tls = spec.options().tls().sslContext(); // the files' problems fail the start, naming the file
        }
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        bind();
        server.configureBlocking(false);
        port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        connections = Supervisor.client(context(), TcpServer.connectionsName(spec.name()));
        Node node = node();
        Pid self = self();
        registration = Poller.register(server, new Poller.Readiness() {
            @Override
            public void readable() {
                registration.disarmRead(); // until the listener has taken what waits
                node.send(self, Acceptable.INSTANCE);
            }

            @Override
            public void writable() {
            }
        });
        registration.armRead();
        node.addExitHook(self, reason -> closeSocket()); // also after terminate: closing twice is harmless
    }

    /**
     * Binds the listening socket; while the port is taken, tries again until {@link #REBIND_WAIT} has passed: a
     * listener killed just before this one started may not have let go of its socket yet.
     */
    private void bind() throws IOException {
        InetSocketAddress address = new InetSocketAddress(spec.address(), spec.port());
        long deadline = System.nanoTime() + REBIND_WAIT.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                server.bind(address, spec.backlog());
                return;
            } catch (BindException e) {
                if (spec.port() == 0 || System.nanoTime() >= deadline) {
                    server.close();
                    throw e;
                }
                LockSupport.parkNanos(Math.min(attempt, 20) * 1_000_000L); // polls the port, with a deadline
            }
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
        if (message == Acceptable.INSTANCE) {
            for (int i = 0; i < spec.acceptors(); i++) {
                SocketChannel s = server.accept();
                if (s == null) {
                    registration.armRead();
                    return;
                }
                startHandler(s);
            }
            send(self(), Acceptable.INSTANCE); // more may wait: after the messages that came meanwhile
        }
    }

    @Override
    protected void terminate(Object reason) {
        closeSocket();
    }

    private void closeSocket() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("closing {}'s listening socket: {}", spec.name(), e.toString());
        }
        if (registration != null) {
            // the port is free only once the poller let go of the socket: a listener started again binds it at once
            registration.cancelAndAwait(Duration.ofSeconds(5));
        }
    }

    private void startHandler(SocketChannel s) {
        TcpSocket socket = null;
        try {
            socket = TcpSocket.accepted(node(), s, spec.options(), tls);
            Optional<Pid> handler = connections.startDynamic(socket);
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
