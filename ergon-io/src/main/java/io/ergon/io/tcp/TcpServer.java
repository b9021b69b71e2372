package io.ergon.io.tcp;

import io.ergon.gen.ChildInfo;
import io.ergon.gen.ChildSpec;
import io.ergon.gen.Restart;
import io.ergon.gen.Strategy;
import io.ergon.gen.Supervisor;
import io.ergon.gen.SupervisorSpec;
import io.ergon.node.Node;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A TCP server as a supervision tree, after Ranch: a {@code rest_for_one} supervisor registered under the
 * server's name, over
 * <ol>
 *   <li>{@code name_connections}, a {@code simple_one_for_one} supervisor of the handlers, one temporary process
 *       per connection that owns its {@link TcpSocket} (a handler that crashes closes its socket, and only its
 *       own), and</li>
 *   <li>{@code name_listener}, the process that holds the listening socket and accepts its connections, starting a
 *       handler for each with a call to the connections supervisor. No thread waits in {@code accept}: a shared
 *       poller tells the listener when connections wait.</li>
 * </ol>
 * A server is a child like any other ({@link #childSpec}). It stops in order: first the listener (no new
 * connections), then every handler by the spec's {@code connectionShutdown} (a handler that traps exits finishes
 * what it is doing in its {@code terminate}), and each handler's socket closes with it.
 *
 * <p>A handler gets its socket in its constructor, owned from the moment its spawn returns, in the spec's initial
 * mode; a handler that wants data turns it active ({@code socket.setActive(Active.once())}) in its {@code init}.
 * With TLS ({@link TcpServerSpec#tls}) the listener builds the TLS context when it starts (wrong files fail the
 * start), and the pollers drive each connection's handshake from its accept, beside its handler's start: the
 * handler gets the plaintext once it is done, or the handshake's failure ({@link TcpSocket} says how).
 */
public final class TcpServer {
    private TcpServer() {
    }

    /** The server as a supervisor child, with the spec's name as its id. */
    public static ChildSpec childSpec(TcpServerSpec spec) {
        return ChildSpec.supervisor(spec.name(), supervisorSpec(spec)).register(spec.name());
    }

    /** Starts the server on its own (a supervisor registered under its name) and returns its supervisor's pid. */
    public static Pid start(Node node, TcpServerSpec spec) {
        return Supervisor.start(node, spec.name(), supervisorSpec(spec));
    }

    /** Stops a server started with {@link #start}: listener first, then every connection. */
    public static void stop(Node node, String name) {
        Supervisor.client(node, name).stop();
    }

    /** The port the server {@code name} listens on (the one picked, for port 0). */
    public static int port(Node node, String name) {
        return node.call(listenerName(name), TcpListener.PORT);
    }

    /** The handlers of the server's open connections. */
    public static List<Pid> connections(Node node, String name) {
        return Supervisor.client(node, connectionsName(name)).whichChildren().stream()
                .map(ChildInfo::pid).filter(Objects::nonNull).toList();
    }

    static String listenerName(String server) {
        return server + "_listener";
    }

    static String connectionsName(String server) {
        return server + "_connections";
    }

    private static SupervisorSpec supervisorSpec(TcpServerSpec spec) {
        ChildSpec handler = ChildSpec.<TcpSocket>workerTemplate("connection", spec.handler()::apply)
                .restart(Restart.TEMPORARY).shutdown(spec.connectionShutdown());
        ChildSpec connections = ChildSpec.supervisor("connections",
                Supervisor.spec(Strategy.SIMPLE_ONE_FOR_ONE).child(handler))
                .register(connectionsName(spec.name()));
        ChildSpec listener = ChildSpec.worker("listener", () -> new TcpListener(spec))
                .register(listenerName(spec.name())).shutdown(io.ergon.gen.Shutdown.timeout(Duration.ofSeconds(5)));
        return Supervisor.spec(Strategy.REST_FOR_ONE).intensity(5, Duration.ofSeconds(10))
                .children(connections, listener);
    }
}
