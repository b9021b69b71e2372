package io.ergon.net.internal;

import io.ergon.etf.DecodeLimits;
import io.ergon.etf.RecordRegistry;
import io.ergon.net.EpmdClient;
import io.ergon.net.EpmdServer;
import io.ergon.net.NodeName;
import io.ergon.node.NodeDown;
import io.ergon.node.NodeOptions;
import io.ergon.node.NodeUp;
import io.ergon.node.SpawnOptions;
import io.ergon.node.spi.LocalNode;
import io.ergon.node.spi.NodeDistribution;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's distribution: its listening socket, its EPMD registration, its connections to other nodes and the
 * the node monitors; {@link Routing} carries the node's traffic over those connections.
 *
 * <p>Connections are made on demand (the first message, link or monitor to a node connects to it, as Erlang's
 * default) or with {@link #connect(Atom)}, and accepted from peers that know the cookie. When one closes, the local
 * processes with links or monitors across it learn {@code noconnection}, and node monitors get {@code nodedown}.
 */
public final class Distribution implements NodeDistribution {
    private static final Logger LOG = LoggerFactory.getLogger(Distribution.class);
    /** The embedded EPMD, when this JVM had to start one; it lives as long as the JVM. */
    private static EpmdServer embeddedEpmd;

    private final Atom name;
    private final NodeName nodeName;
    private final NodeOptions options;
    private final String cookie;
    private final long ourFlags;
    private final ServerSocket listener;
    private final EpmdClient.Registration registration;
    private final int epmdPort;
    private final ConcurrentHashMap<Atom, Connection> connections = new ConcurrentHashMap<>();
    private final ReentrantLock connectionsLock = new ReentrantLock();
    private final Set<Pid> nodeWatchers = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Atom, Set<Pid>> nodeMonitors = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor ticker;
    private final DecodeLimits decodeLimits = DecodeLimits.DEFAULT;
    private final Routing routing;
    private volatile LocalNode node;
    private volatile boolean closed;

    private Distribution(Atom name, NodeOptions options, ServerSocket listener, EpmdClient.Registration registration,
                         int epmdPort) {
        this.name = name;
        this.nodeName = NodeName.of(name);
        this.options = options;
        this.cookie = Cookies.resolve(options.cookie());
        this.ourFlags = DistFlags.OFFERED | (options.hidden() ? 0 : DistFlags.PUBLISHED);
        this.listener = listener;
        this.registration = registration;
        this.epmdPort = epmdPort;
        this.routing = new Routing(this);
        this.ticker = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon()
                .name("ergon-dist-ticker-" + name.name()).unstarted(r));
    }

    /**
     * Opens the listening socket and registers with EPMD (starting an embedded EPMD if none answers). The node's
     * creation comes from that registration.
     *
     * @throws IOException if the port cannot be opened or EPMD refuses the name
     */
    public static Distribution start(Atom name, NodeOptions options) throws IOException {
        NodeName n = NodeName.of(name);
        int epmdPort = options.epmdPort() != 0 ? options.epmdPort() : EpmdClient.defaultPort();
        ServerSocket listener = new ServerSocket();
        try {
            listener.bind(new InetSocketAddress(options.listenAddress(), options.listenPort()));
            EpmdClient.Registration reg = register(n.alive(), listener.getLocalPort(), options.hidden(), epmdPort);
            return new Distribution(name, options, listener, reg, epmdPort);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    private static EpmdClient.Registration register(String alive, int port, boolean hidden, int epmdPort)
            throws IOException {
        EpmdClient local = new EpmdClient(InetAddress.getLoopbackAddress(), epmdPort);
        try {
            return local.register(alive, port, hidden);
        } catch (ConnectException noEpmd) {
            synchronized (Distribution.class) {
                if (embeddedEpmd == null || embeddedEpmd.port() != epmdPort) {
                    try {
                        embeddedEpmd = EpmdServer.start(epmdAddress(), epmdPort);
                        LOG.info("no EPMD answered on port {}: started one in this JVM", epmdPort);
                    } catch (java.net.BindException raced) {
                        // another process started one meanwhile: use it
                    }
                }
            }
            return local.register(alive, port, hidden);
        }
    }

    /** Where an embedded EPMD listens: {@code ERL_EPMD_ADDRESS} if set (first address), else every interface. */
    private static InetAddress epmdAddress() throws IOException {
        String env = System.getenv("ERL_EPMD_ADDRESS");
        if (env == null || env.isBlank()) {
            return null;
        }
        return InetAddress.getByName(env.split(",")[0].trim());
    }

    /**
     * Routes the node's remote traffic through this distribution, starts accepting and ticking, and starts the
     * registered processes peers expect: {@code net_kernel}, {@code rex} and the io server {@code user}.
     */
    @Override
    public void attach(LocalNode local) {
        this.node = local;
        local.routeRemoteThrough(routing);
        Thread.ofVirtual().name("ergon-dist-acceptor-" + name.name()).start(this::acceptLoop);
        long quarter = tickNanos();
        ticker.scheduleAtFixedRate(this::tickAll, quarter, quarter, TimeUnit.NANOSECONDS);
        io.ergon.node.Node facade = local.facade();
        io.ergon.net.Rpc rpc = io.ergon.net.Rpc.of(facade);
        facade.spawn(NetKernel::new, SpawnOptions.none().register(NetKernel.NAME));
        facade.spawn(() -> new RexServer(rpc, options.records()), SpawnOptions.none().register(RexServer.NAME));
        facade.spawn(IoServer::new, SpawnOptions.none().register(IoServer.NAME));
    }

    @Override
    public int creation() {
        return registration.creation();
    }

    @Override
    public int port() {
        return listener.getLocalPort();
    }

    LocalNode node() {
        return node;
    }

    /** How the node's traffic reaches other nodes. */
    Routing routing() {
        return routing;
    }

    /** Encodes and queues a control message on {@code c} (see {@link Routing#send}). */
    void send(Connection c, Object to, Control.Encoded e) {
        routing.send(c, to, e);
    }

    boolean isClosed() {
        return closed;
    }

    /** The node's rpc service. */
    io.ergon.net.Rpc rpc() {
        return io.ergon.net.Rpc.of(node.facade());
    }

    RecordRegistry records() {
        return options.records();
    }

    DecodeLimits decodeLimits() {
        return decodeLimits;
    }

    /** Erlang's {@code dist_buf_busy_limit}: queued bytes past which senders to a connection wait. */
    long busyLimit() {
        return options.distBufferBusyLimit();
    }

    Duration netTickTime() {
        return options.netTickTime();
    }

    long tickNanos() {
        return options.netTickTime().toNanos() / 4;
    }

    // ------------------------------------------------------------------ connections

    /** The connection to {@code peer}, connecting if there is none; null if {@code peer} is this node. */
    Connection connectionTo(Atom peer) {
        Connection c = connections.get(peer);
        if (c != null) {
            return c;
        }
        if (closed || peer.equals(name)) {
            return null;
        }
        connectionsLock.lock();
        try {
            c = connections.get(peer);
            if (c != null) {
                return c;
            }
            Connection fresh = new Connection(this, peer);
            connections.put(peer, fresh);
            Thread.ofVirtual().name("ergon-dist-connect-" + peer).start(() -> initiate(fresh));
            return fresh;
        } finally {
            connectionsLock.unlock();
        }
    }

    /** Connects to {@code peer} if not connected, and waits for the outcome (at most the setup time). */
    @Override
    public boolean connect(Atom peer) {
        if (peer.equals(name)) {
            return true;
        }
        Connection c = connectionTo(peer);
        if (c == null) {
            return false;
        }
        try {
            return c.established().get(options.setupTime().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            c.close("the handshake did not finish within " + options.setupTime());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    /** Closes the connection to {@code peer}; false if there was none. */
    @Override
    public boolean disconnect(Atom peer) {
        Connection c = connections.get(peer);
        if (c == null) {
            return false;
        }
        c.close("disconnected on request");
        return true;
    }

    /** The nodes this node is connected to now. */
    @Override
    public List<Atom> nodes() {
        List<Atom> out = new ArrayList<>();
        connections.forEach((peer, c) -> {
            if (c.state() == Connection.State.UP) {
                out.add(peer);
            }
        });
        return out;
    }

    private void initiate(Connection c) {
        Atom peer = c.peer();
        Socket socket = null;
        try {
            NodeName target = NodeName.of(peer);
            if (target.isLong() != nodeName.isLong()) {
                throw new HandshakeException("cannot connect " + name + " to " + peer
                        + ": short and long node names do not mix");
            }
            InetAddress host = InetAddress.getByName(target.host());
            EpmdClient.NodeEntry entry = new EpmdClient(host, epmdPort).portPlease(target.alive());
            if (entry == null) {
                throw new HandshakeException("EPMD on " + target.host() + " does not know " + target.alive());
            }
            if (entry.lowestVersion() > 6 || entry.highestVersion() < 6) {
                throw new HandshakeException(peer + " speaks distribution versions " + entry.lowestVersion() + ".."
                        + entry.highestVersion() + ", not 6");
            }
            socket = new Socket();
            int setup = (int) options.setupTime().toMillis();
            socket.connect(new InetSocketAddress(host, entry.port()), setup);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(setup);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            Handshake.Peer info = Handshake.initiate(in, out, local(), peer,
                    () -> c.state() == Connection.State.CONNECTING && !c.acceptingSimultaneous);
            socket.setSoTimeout(0);
            established(c, socket, info);
        } catch (HandshakeException e) {
            closeQuietly(socket);
            if (e.getMessage().contains("(nok)") || e.getMessage().contains("(alive)")) {
                awaitOtherAttempt(c);
            } else {
                LOG.warn("{}: connection to {} failed: {}", name, peer, e.getMessage());
                c.close(e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            LOG.info("{}: cannot connect to {}: {}", name, peer, e.toString());
            c.close("cannot connect: " + e);
        }
    }

    /** Our attempt lost a simultaneous connect; the peer's attempt attaches to {@code c}, or it fails in time. */
    private void awaitOtherAttempt(Connection c) {
        try {
            c.established().get(options.setupTime().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            c.close("the simultaneous connection attempt from " + c.peer() + " did not complete");
        }
    }

    private Handshake.Local local() {
        return new Handshake.Local(name, ourFlags, node.creation(), cookie);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("{}: stopped accepting connections: {}", name, e.toString());
                }
                return;
            }
            Thread.ofVirtual().name("ergon-dist-accept").start(() -> accept(s));
        }
    }

    /** The acceptor's side of one incoming connection. */
    private void accept(Socket socket) {
        AcceptPolicy policy = new AcceptPolicy();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) options.setupTime().toMillis());
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            Handshake.Peer info = Handshake.accept(in, out, local(), policy);
            socket.setSoTimeout(0);
            established(policy.connection, socket, info);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            if (e instanceof HandshakeException h && h.expected()) {
                LOG.debug("{}: {}", name, e.getMessage());
            } else {
                LOG.warn("{}: refused a connection from {}: {}", name, socket.getRemoteSocketAddress(),
                        e.getMessage());
            }
            if (policy.connection != null && policy.created) {
                policy.connection.close("incoming handshake failed: " + e.getMessage());
            }
        }
    }

    /** Decides, under the connections lock, what to answer a node that connects to us. */
    private final class AcceptPolicy implements Handshake.Policy {
        Connection connection;
        boolean created;

        @Override
        public Handshake.Verdict decide(Atom peer) {
            if (closed) {
                return Handshake.Verdict.NOT_ALLOWED;
            }
            connectionsLock.lock();
            try {
                Connection existing = connections.get(peer);
                if (existing == null || existing.state() == Connection.State.CLOSED) {
                    connection = new Connection(Distribution.this, peer);
                    created = true;
                    connections.put(peer, connection);
                    return Handshake.Verdict.OK;
                }
                if (existing.state() == Connection.State.UP) {
                    return Handshake.Verdict.ALIVE;
                }
                // both sides are connecting: the greater name wins (OTP's rule)
                if (peer.name().compareTo(name.name()) > 0) {
                    connection = existing;
                    existing.acceptingSimultaneous = true;
                    return Handshake.Verdict.OK_SIMULTANEOUS;
                }
                return Handshake.Verdict.NOK;
            } finally {
                connectionsLock.unlock();
            }
        }

        @Override
        public void replaceExisting(Atom peer, boolean replace) {
            if (!replace) {
                return;
            }
            Connection old = connections.get(peer);
            if (old != null) {
                old.close("the peer reconnected (it restarted or lost the old connection)");
            }
            connectionsLock.lock();
            try {
                connection = new Connection(Distribution.this, peer);
                created = true;
                connections.put(peer, connection);
            } finally {
                connectionsLock.unlock();
            }
        }
    }

    private void established(Connection c, Socket socket, Handshake.Peer info) {
        if (closed) {
            closeQuietly(socket);
            c.close("the node is shutting down");
            return;
        }
        if (!c.start(socket, info, ourFlags)) {
            LOG.debug("{}: a second handshake with {} completed; keeping the first connection", name, c.peer());
            closeQuietly(socket);
            return;
        }
        if (c.state() == Connection.State.UP) {
            LOG.info("{}: connected to {}", name, c.peer());
            for (Pid watcher : nodeWatchers) {
                node.send(watcher, new NodeUp(c.peer()));
            }
        }
    }

    /** A connection closed: forget it, and tell whoever depended on it. */
    void closed(Connection c, String reason, boolean wasUp, boolean failure) {
        connections.remove(c.peer(), c);
        if (wasUp && failure) {
            LOG.warn("{}: node {} is down: {}", name, c.peer(), reason);
        } else if (wasUp) {
            LOG.info("{}: node {} is down: {}", name, c.peer(), reason);
        }
        LocalNode n = node;
        if (n == null) {
            return;
        }
        for (Pid p : c.involved()) {
            tellNodeDown(c, p);
        }
        Set<Pid> once = nodeMonitors.remove(c.peer());
        if (once != null) {
            for (Pid p : once) {
                n.send(p, new NodeDown(c.peer(), reasonAtom(reason)));
            }
        }
        if (wasUp) {
            for (Pid watcher : nodeWatchers) {
                n.send(watcher, new NodeDown(c.peer(), reasonAtom(reason)));
            }
        }
    }

    /** Tells one local process that {@code c}'s node is down (see {@link Connection#involve}). */
    void tellNodeDown(Connection c, Pid p) {
        LocalNode n = node;
        if (n != null) {
            n.nodeDown(p, c.peer());
        }
    }

    private static Object reasonAtom(String reason) {
        return reason.contains("net_ticktime") ? Atom.of("net_tick_timeout") : Atom.of("connection_closed");
    }

    private void tickAll() {
        for (Connection c : connections.values()) {
            try {
                c.tick();
            } catch (RuntimeException e) {
                LOG.warn("ticking {} failed", c, e);
            }
        }
    }

    // ------------------------------------------------------------------ node monitors

    /** {@code net_kernel:monitor_nodes(true)}: {@code watcher} gets NodeUp and NodeDown messages. */
    @Override
    public void watchNodes(Pid watcher, boolean on) {
        if (on) {
            nodeWatchers.add(watcher);
        } else {
            nodeWatchers.remove(watcher);
        }
    }

    /**
     * {@code erlang:monitor_node(Node, true)}: {@code watcher} gets one NodeDown message when the connection to
     * {@code peer} goes, at once if it cannot be made.
     */
    @Override
    public void monitorNode(Pid watcher, Atom peer) {
        if (peer.equals(name)) {
            return;
        }
        nodeMonitors.computeIfAbsent(peer, p -> ConcurrentHashMap.newKeySet()).add(watcher);
        Connection c = connectionTo(peer);
        if (c == null || c.state() == Connection.State.CLOSED) {
            Set<Pid> once = nodeMonitors.remove(peer);
            if (once != null) {
                once.forEach(p -> node.send(p, new NodeDown(peer, Atom.of("connection_closed"))));
            }
        }
    }

    /** Ends {@link #monitorNode}. */
    public void demonitorNode(Pid watcher, Atom peer) {
        Set<Pid> set = nodeMonitors.get(peer);
        if (set != null) {
            set.remove(watcher);
        }
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Closes every connection (each after its queued frames went out, waiting at most two seconds in all), the
     * listener and the registration.
     */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        ticker.shutdownNow();
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
        for (Connection c : connections.values()) {
            c.closeGracefully(Duration.ofNanos(Math.max(0, end - System.nanoTime())), "the node is shutting down");
        }
        registration.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }

    @Override
    public String toString() {
        return "Distribution[" + name + " on port " + port() + ", connected to " + nodes() + "]";
    }

    Map<Atom, Connection> connections() {
        return connections;
    }
}
