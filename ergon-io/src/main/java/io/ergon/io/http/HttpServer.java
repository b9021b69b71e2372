package io.ergon.io.http;

import io.ergon.gen.ChildSpec;
import io.ergon.gen.Shutdown;
import io.ergon.io.tcp.TcpServer;
import io.ergon.io.tcp.TcpServerSpec;
import io.ergon.node.Node;
import io.ergon.term.Pid;
import java.util.List;

/**
 * An HTTP/1.1 server with WebSocket sessions, as processes: a {@link TcpServer} whose handler of each connection is
 * a process that reads its requests one at a time (keep-alive and pipelining included) and answers each with the
 * spec's {@link HttpHandler}, or upgrades it to a WebSocket (RFC 6455) whose session is a process of its own.
 *
 * <p>Flow control is the connection's: it reads the next request only when it has answered the last, and a
 * WebSocket's next message only when its session asks, so a slow handler or session holds its client back through
 * TCP. Supervision is per connection: a handler that throws gets its client a 500 and ends its connection's process
 * (only that one). Stopping the server stops accepting first, then lets each connection finish the request it is
 * answering (or close its WebSocket session with 1001) within the spec's drain time, and closes it.
 *
 * <p>Why not the JDK's {@code com.sun.net.httpserver}: it cannot hand a connection over after a 101 response (it
 * ends the exchange with the headers), runs handlers on an executor rather than in processes, and reads ahead of
 * them. Why not Netty: it works well, but brings its own event loops and buffer life cycle beside the processes, a
 * few megabytes of dependency, and flow control by toggling {@code autoRead}; the same server on this module's own
 * sockets needs neither, at the price of speaking HTTP/1.1 only (no HTTP/2, no chunked request bodies, no
 * compression extensions). The project README's "I/O as processes" section has the comparison and the figures.
 */
public final class HttpServer {
    private HttpServer() {
    }

    /** The server as a supervisor child, with the spec's name as its id. */
    public static ChildSpec childSpec(HttpServerSpec spec) {
        return TcpServer.childSpec(tcpSpec(spec));
    }

    /** Starts the server on its own and returns its supervisor's pid. */
    public static Pid start(Node node, HttpServerSpec spec) {
        return TcpServer.start(node, tcpSpec(spec));
    }

    /** Stops a server started with {@link #start}: accepting first, then each connection after it drained. */
    public static void stop(Node node, String name) {
        TcpServer.stop(node, name);
    }

    /** The port the server listens on. */
    public static int port(Node node, String name) {
        return TcpServer.port(node, name);
    }

    /** The processes of its open connections. */
    public static List<Pid> connections(Node node, String name) {
        return TcpServer.connections(node, name);
    }

    private static TcpServerSpec tcpSpec(HttpServerSpec spec) {
        TcpServerSpec tcp = TcpServerSpec.of(spec.name(), spec.port(), socket -> new HttpConnection(socket, spec))
                .connectionShutdown(Shutdown.timeout(spec.drain()));
        return spec.address() == null ? tcp : tcp.bind(spec.address());
    }
}
