package io.ergon.net.internal;

import io.ergon.etf.DecodeLimits;
import io.ergon.etf.RecordRegistry;
import io.ergon.gen.ChildSpec;
import io.ergon.gen.Strategy;
import io.ergon.gen.Supervisor;
import io.ergon.gen.SupervisorSpec;
import io.ergon.net.EpmdClient;
import io.ergon.net.NodeName;
import io.ergon.net.Rpc;
import io.ergon.net.internal.global.GlobalServer;
import io.ergon.net.internal.global.GlobalState;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.NodeStats;
import io.ergon.node.spi.LocalNode;
import io.ergon.node.spi.NodeDistribution;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's distribution ({@link NodeDistribution}): puts together its {@link Listener}, its
 * {@link EpmdRegistration}, its {@link ConnectionTable} (with the {@link Connector} that makes outgoing
 * connections), its {@link NodeMonitors} and its {@link Ticker}; {@link Routing} carries the node's traffic over the
 * connections. It is where a connection reports that it came up or closed.
 *
 * <p>Connections are made on demand (the first message, link or monitor to a node connects to it, as Erlang's
 * default) or with {@link #connect(Atom)}, and accepted from peers that know the cookie. When one closes, the local
 * processes with links or monitors across it learn {@code noconnection}, and node monitors get {@code nodedown}.
 * The layer's connection events are logged under this class's name.
 */
public final class Distribution implements NodeDistribution {
    /** The registered name of the supervisor of net_kernel, rex, user and global_name_server. */
    public static final String KERNEL_SUP = "ergon_kernel_sup";
    /**
     * Restarts of these processes allowed in {@link #KERNEL_RESTART_PERIOD} before their supervisor gives up: enough
     * for a few kills in a row, few enough that a process that crashes at each start does not loop for ever.
     */
    static final int KERNEL_RESTARTS = 10;
    static final Duration KERNEL_RESTART_PERIOD = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(Distribution.class);
    /** How long a closing node waits, in all, for its connections' queued frames to go out. */
    private static final Duration GRACEFUL_CLOSE = Duration.ofSeconds(2);

    private final Atom name;
    private final NodeName nodeName;
    private final NodeOptions options;
    private final String cookie;
    private final long ourFlags;
    private final Listener listener;
    /** Null for a node without EPMD ({@link NodeOptions#epmdless}). */
    private final EpmdClient.Registration registration;
    private final int creation;
    private final int epmdPort;
    private final Connector connector;
    private final ConnectionTable connections;
    private final NodeMonitors monitors = new NodeMonitors(this);
    private final Ticker ticker;
    private final DecodeLimits decodeLimits;
    private final InputPoll inputPoll = InputPoll.forThisMachine();
    private final InboundBacklog inboundBacklog;
    private final Routing routing;
    private final Transport transport;
    private volatile LocalNode node;
    private volatile boolean closed;
    /** Where peers are, as discovery told the node ({@link #locate}). */
    private final Map<Atom, Location> located = new ConcurrentHashMap<>();

    /** A peer's address (null: resolve its host) and port (0: not known beforehand). */
    record Location(InetAddress address, int port) {
    }

    private Distribution(Atom name, NodeOptions options, ServerSocket listener, EpmdClient.Registration registration,
                         int epmdPort, Transport transport) {
        this.name = name;
        this.nodeName = NodeName.of(name);
        this.options = options;
        this.cookie = Cookies.resolve(options.cookie());
        this.ourFlags = DistFlags.OFFERED | (options.hidden() ? 0 : DistFlags.PUBLISHED);
        this.listener = new Listener(this, listener);
        this.registration = registration;
        this.creation = registration != null ? registration.creation() : randomCreation();
        this.epmdPort = epmdPort;
        this.transport = transport;
        this.decodeLimits = options.distDecodeLimits();
        this.inboundBacklog = new InboundBacklog(new InboundLimits(options.distConnectionInboundLimit(),
                options.distInboundLimit()));
        this.connector = new Connector(this);
        this.connections = new ConnectionTable(this, name, connector);
        this.routing = new Routing(this);
        this.ticker = new Ticker(name.name(), connections::all);
    }

    /**
     * Opens the listening socket and registers with EPMD (starting an embedded EPMD if none answers). The node's
     * creation comes from that registration. With TLS on, its certificate, key and CA bundle are read first.
     *
     * @throws IOException if the port cannot be opened, EPMD refuses the name, or TLS cannot be set up (a missing
     *     or unreadable PEM file, a key that does not match its certificate)
     */
    static Distribution start(Atom name, NodeOptions options) throws IOException {
        NodeName n = NodeName.of(name);
        int epmdPort = EpmdRegistration.port(options);
        Transport transport = options.tls().enabled() ? TlsTransport.create(options.tls())
                : Transport.PLAIN;
        ServerSocket listener = new ServerSocket();
        boolean epmdless = options.epmdlessPort() != 0;
        try {
            listener.bind(new InetSocketAddress(options.listenAddress(),
                    epmdless ? options.epmdlessPort() : options.listenPort()));
            // without EPMD, as Erlang's -erl_epmd_port: no registration, a creation of our own
            EpmdClient.Registration reg = epmdless ? null : EpmdRegistration.register(n.alive(),
                    listener.getLocalPort(), options.hidden(), epmdPort);
            if (epmdless) {
                LOG.info("{}: no EPMD: listening on port {}, and looking for other nodes on it", name,
                        listener.getLocalPort());
            }
            if (transport != Transport.PLAIN) {
                LOG.info("{}: distribution over {} on port {}", name, transport, listener.getLocalPort());
            }
            return new Distribution(name, options, listener, reg, epmdPort, transport);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /**
     * Routes the node's remote traffic through this distribution, starts accepting and ticking, and starts the
     * registered processes peers expect: {@code net_kernel}, {@code rex}, the io server {@code user} and
     * {@code global_name_server} ({@link GlobalServer}), under a
     * supervisor of their own ({@link #KERNEL_SUP}), as OTP's kernel supervises its: one that is killed (a cookie
     * holder may {@code exit(whereis(rex), kill)}) is restarted under its name and the restart is logged, where it
     * used to stay dead and the node answered {@code pang} for good.
     */
    @Override
    public void attach(LocalNode local) {
        this.node = local;
        local.routeRemoteThrough(routing);
        listener.start();
        ticker.start(options.netTickTime());
        Node facade = local.facade();
        Rpc rpc = Rpc.of(facade);
        GlobalState global = GlobalState.install(facade, new GlobalNetAdapter(this));
        SupervisorSpec kernel = Supervisor.spec(Strategy.ONE_FOR_ONE)
                .intensity(KERNEL_RESTARTS, KERNEL_RESTART_PERIOD)
                .child(ChildSpec.worker(NetKernel.NAME.name(), NetKernel::new).register(NetKernel.NAME.name()))
                .child(ChildSpec.worker(RexServer.NAME.name(), () -> new RexServer(rpc, options.records()))
                        .register(RexServer.NAME.name()))
                .child(ChildSpec.worker(IoServer.NAME.name(), IoServer::new).register(IoServer.NAME.name()))
                .child(ChildSpec.worker(GlobalServer.NAME.name(), () -> new GlobalServer(global))
                        .register(GlobalServer.NAME.name()));
        Supervisor.start(facade, KERNEL_SUP, kernel);
        ErlangIntrospection.register(rpc, facade, this);
        GlobalServer.registerRpc(rpc, facade);
    }

    @Override
    public int creation() {
        return creation;
    }

    /** A node that registers with no EPMD picks its creation, as Erlang does then: random, never 0. */
    private static int randomCreation() {
        int c;
        do {
            c = new java.security.SecureRandom().nextInt();
        } while (c == 0);
        return c;
    }

    /**
     * Where {@code peer} listens when that is known without EPMD: its {@link NodeOptions#peerPort} (by full name, else
     * by alive part), else the shared port of a node without EPMD; null to ask EPMD.
     */
    Integer knownPort(Atom peer) {
        Location l = located.get(peer);
        if (l != null && l.port() != 0) {
            return l.port();
        }
        Integer p = options.peerPorts().get(peer.name());
        if (p == null) {
            p = options.peerPorts().get(NodeName.of(peer).alive());
        }
        if (p == null && options.epmdlessPort() != 0) {
            p = options.epmdlessPort();
        }
        return p;
    }

    /** The address discovery gave for {@code peer}, or null to resolve its name's host. */
    InetAddress knownAddress(Atom peer) {
        Location l = located.get(peer);
        return l == null ? null : l.address();
    }

    @Override
    public void locate(Atom peer, InetAddress address, int port) {
        if (address == null && port == 0) {
            located.remove(peer);
        } else {
            located.put(peer, new Location(address, port));
        }
    }

    @Override
    public int port() {
        return listener.port();
    }

    // ------------------------------------------------------------------ what the layer's classes share

    Atom name() {
        return name;
    }

    NodeName nodeName() {
        return nodeName;
    }

    LocalNode node() {
        return node;
    }

    ConnectionTable connections() {
        return connections;
    }

    /** The connection to {@code peer}, connecting if there is none; null if {@code peer} is this node. */
    Connection connectionTo(Atom peer) {
        return connections.connectionTo(peer);
    }

    /** Encodes and queues a control message on {@code c} (see {@link Routing#send}). */
    void send(Connection c, Object to, Control.Encoded e) {
        routing.send(c, to, e);
    }

    boolean isClosed() {
        return closed;
    }

    /** The node's rpc service. */
    Rpc rpc() {
        return Rpc.of(node.facade());
    }

    RecordRegistry records() {
        return options.records();
    }

    /** The readers' look for more input before they block, shared by the node's connections. */
    InputPoll inputPoll() {
        return inputPoll;
    }

    DecodeLimits decodeLimits() {
        return decodeLimits;
    }

    /** What the node's connections have delivered and its processes not yet taken (see {@link InboundBacklog}). */
    InboundBacklog inboundBacklog() {
        return inboundBacklog;
    }

    /** Erlang's {@code dist_buf_busy_limit}: queued bytes past which senders to a connection wait. */
    long busyLimit() {
        return options.distBufferBusyLimit();
    }

    Duration netTickTime() {
        return options.netTickTime();
    }

    Duration setupTime() {
        return options.setupTime();
    }

    int epmdPort() {
        return epmdPort;
    }

    /** How connections' bytes travel: plain TCP or TLS. */
    Transport transport() {
        return transport;
    }

    /** This node as a handshake presents it. */
    Handshake.Local handshakeLocal() {
        return new Handshake.Local(name, ourFlags, node.creation(), cookie);
    }

    // ------------------------------------------------------------------ connections

    /** Connects to {@code peer} if not connected, and waits for the outcome (at most the setup time). */
    @Override
    public boolean connect(Atom peer) {
        return connectFailure(peer) == null;
    }

    /**
     * Connects to {@code peer} if not connected, and waits for the outcome (at most the setup time): null if
     * connected, else why not, in words (the reason the connection closed with: a refused handshake, a certificate
     * the TLS layer rejected, no such node, ...).
     */
    @Override
    public String connectFailure(Atom peer) {
        if (peer.equals(name)) {
            return null;
        }
        Connection c = connectionTo(peer);
        if (c == null) {
            return null;
        }
        try {
            if (c.established().get(options.setupTime().toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
                return null;
            }
            String reason = c.closeReason();
            return reason != null ? reason : "the connection to " + peer + " closed";
        } catch (TimeoutException e) {
            c.close("the handshake did not finish within " + options.setupTime());
            return "the handshake with " + peer + " did not finish within " + options.setupTime();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while connecting to " + peer;
        } catch (ExecutionException e) {
            return "connecting to " + peer + " failed: " + e.getCause();
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

    @Override
    public List<NodeStats.Connection> connectionStats() {
        return connections.stats();
    }

    /** The nodes this node is connected to now. */
    @Override
    public List<Atom> nodes() {
        return connections.upPeers();
    }

    /**
     * Erlang's {@code nodes()}: the peers connected by visible connections ({@link #nodes()} lists every connected
     * peer, Erlang's {@code nodes(connected)}, as Ergon's {@code Node.nodes} does).
     */
    List<Atom> visibleNodes() {
        return connections.upPeers(false);
    }

    /** Erlang's {@code nodes(hidden)}: the peers connected by hidden connections. */
    List<Atom> hiddenNodes() {
        return connections.upPeers(true);
    }

    /** The connections held now, as {@code net_kernel:nodes_info/0} describes them (see {@link PeerInfo}). */
    List<PeerInfo> peerInfo() {
        return connections.peerInfo();
    }

    /**
     * One connection as {@code net_kernel:nodes_info/0} describes it.
     *
     * @param peer the peer's node name
     * @param up whether it is up (else it is being set up)
     * @param hidden whether it is a hidden connection
     * @param address the peer's socket address, or null when not up
     * @param in messages and signals read from the peer (ticks not counted)
     * @param out messages and signals written to the peer
     */
    record PeerInfo(Atom peer, boolean up, boolean hidden, java.net.SocketAddress address, long in, long out) {
    }

    /** A handshake on {@code channel} completed for {@code c}: start it, unless the node is closing. */
    void established(Connection c, Channel channel, Handshake.Peer info) {
        if (closed) {
            channel.close(false);
            c.close("the node is shutting down");
            return;
        }
        if (!c.start(channel, info, ourFlags)) {
            LOG.debug("{}: a second handshake with {} completed; keeping the first connection", name, c.peer());
            channel.close(false);
            return;
        }
        if (c.state() == Connection.State.UP) {
            LOG.info("{}: connected to {}", name, c.peer());
        }
    }

    /** Connection {@code c} is up and about to start reading: node monitors hear of it now. */
    void up(Connection c) {
        connector.connected(c.peer());
        monitors.up(c);
    }

    /** A connection closed: forget it, and tell whoever depended on it. */
    void closed(Connection c, CloseCause cause, String reason, boolean wasUp) {
        connections.remove(c);
        if (wasUp && cause.failure()) {
            LOG.warn("{}: node {} is down: {}", name, c.peer(), reason);
        } else if (wasUp) {
            LOG.info("{}: node {} is down: {}", name, c.peer(), reason);
        }
        if (node == null) {
            return;
        }
        for (Pid p : c.involved()) {
            tellNodeDown(c, p);
        }
        monitors.down(c, cause.nodeDownReason());
    }

    /** Tells one local process that {@code c}'s node is down (see {@link Connection#involve}). */
    void tellNodeDown(Connection c, Pid p) {
        LocalNode n = node;
        if (n != null) {
            n.nodeDown(p, c.peer());
        }
    }

    // ------------------------------------------------------------------ node monitors

    /** {@code net_kernel:monitor_nodes(true)}: {@code watcher} gets NodeUp and NodeDown messages. */
    @Override
    public void watchNodes(Pid watcher, boolean on) {
        monitors.watch(watcher, on);
    }

    /**
     * {@code erlang:monitor_node(Node, true)}: {@code watcher} gets one NodeDown message when the connection to
     * {@code peer} goes, at once if it cannot be made.
     */
    @Override
    public void monitorNode(Pid watcher, Atom peer) {
        monitors.monitor(watcher, peer);
    }

    /** Node watching for {@code global}: visible connections only. */
    void watchVisible(Pid watcher, boolean on) {
        monitors.watchVisible(watcher, on);
    }

    /** Ends {@link #monitorNode}. */
    public void demonitorNode(Pid watcher, Atom peer) {
        monitors.demonitor(watcher, peer);
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Closes every connection (each after its queued frames went out, waiting at most two seconds in all), the
     * listener and the registration. Every connection's output is flushed before the first closes: peers see the
     * node's connections go at about the same time, as when an Erlang node halts (one that saw its connection go first
     * would otherwise tell the others, whose {@code global} would then drop the node as an overlapping partition).
     */
    @Override
    public void close() {
        closed = true;
        listener.close();
        ticker.stop();
        long end = System.nanoTime() + GRACEFUL_CLOSE.toNanos();
        List<Connection> all = List.copyOf(connections.all());
        for (Connection c : all) {
            c.endOutput();
        }
        for (Connection c : all) {
            c.awaitDrained(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        }
        for (Connection c : all) {
            c.close("the node is shutting down");
        }
        if (registration != null) {
            registration.close();
        }
    }

    static void closeQuietly(AutoCloseable c) {
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

    /** Handshakes this node has accepted and not yet finished. */
    int pendingHandshakes() {
        return listener.pendingHandshakes();
    }
}
