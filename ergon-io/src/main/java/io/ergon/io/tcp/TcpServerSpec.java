package io.ergon.io.tcp;

import io.ergon.gen.Shutdown;
import io.ergon.node.Actor;
import io.ergon.node.TlsOptions;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a {@link TcpServer} is: its name (its supervisor's registered name), where it listens, how many connections
 * its listener accepts in a turn, the options of each accepted socket, the handler made for each connection, and
 * how long a handler has to stop when the server shuts down. Immutable; the methods return changed copies.
 *
 * @param name the server's name: its supervisor is registered under it, and its parts under {@code name_listener}
 *     and {@code name_connections}
 * @param address the address to bind, or null for every address
 * @param port the port to listen on; 0 picks a free one ({@link TcpServer#port})
 * @param acceptors how many connections the listener accepts in one turn, before it lets its other messages in (a
 *     stop, a port request) and goes on
 * @param backlog the listening socket's backlog
 * @param options each accepted socket's options (its initial mode is in force once its handler owns it)
 * @param handler makes the process that owns each connection; called in the handler's spawn, with the socket
 * @param connectionShutdown how long each handler has to stop when the server stops (its supervisor's rule)
 */
public record TcpServerSpec(String name, InetAddress address, int port, int acceptors, int backlog,
                            TcpOptions options, Function<TcpSocket, ? extends Actor> handler,
                            Shutdown connectionShutdown) {
    public TcpServerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(connectionShutdown, "connectionShutdown");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
        if (acceptors < 1 || backlog < 1) {
            throw new IllegalArgumentException("acceptors and backlog must be positive");
        }
    }

    /** A server on {@code port} of every address: 4 accepts a turn, a backlog of 1024, default options. */
    public static TcpServerSpec of(String name, int port, Function<TcpSocket, ? extends Actor> handler) {
        return new TcpServerSpec(name, null, port, 4, 1024, TcpOptions.defaults(), handler,
                Shutdown.timeout(Duration.ofSeconds(5)));
    }

    /** This spec bound to {@code address} only. */
    public TcpServerSpec bind(InetAddress bindAddress) {
        return new TcpServerSpec(name, bindAddress, port, acceptors, backlog, options, handler, connectionShutdown);
    }

    /** This spec with {@code n} connections accepted in one turn of its listener. */
    public TcpServerSpec acceptors(int n) {
        return new TcpServerSpec(name, address, port, n, backlog, options, handler, connectionShutdown);
    }

    /** This spec with another backlog. */
    public TcpServerSpec backlog(int n) {
        return new TcpServerSpec(name, address, port, acceptors, n, options, handler, connectionShutdown);
    }

    /** This spec with other socket options. */
    public TcpServerSpec options(TcpOptions socketOptions) {
        return new TcpServerSpec(name, address, port, acceptors, backlog, socketOptions, handler,
                connectionShutdown);
    }

    /**
     * This spec with TLS on every connection, as {@code tls} says (the distribution's {@link TlsOptions}: the same
     * certificates serve both); the listener reads the files when it starts, and fails to start if they are wrong.
     */
    public TcpServerSpec tls(TlsOptions tls) {
        return options(options.tls(tls));
    }

    /** This spec with another shutdown rule for the handlers. */
    public TcpServerSpec connectionShutdown(Shutdown how) {
        return new TcpServerSpec(name, address, port, acceptors, backlog, options, handler, how);
    }
}
