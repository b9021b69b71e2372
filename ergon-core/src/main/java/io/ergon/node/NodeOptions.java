package io.ergon.node;

import io.ergon.etf.DecodeLimits;
import io.ergon.etf.RecordRegistry;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a node runs. Immutable: each method returns a changed copy; {@link #defaults()} is the safe starting point:
 * a local node (no network), one worker per processor, 10 seconds to shut down.
 *
 * <p>{@link #distributed(boolean) distributed(true)} makes the node reachable by Erlang and Ergon nodes: it listens
 * for connections, registers with EPMD (starting an EPMD itself if none answers), and authenticates peers with the
 * cookie ({@link #cookie(String)}, else {@code ~/.erlang.cookie}, which is created as Erlang does if missing).
 */
public final class NodeOptions {
    private int parallelism;
    private Duration shutdownTimeout;
    private String cookie;
    private boolean distributed;
    private boolean hidden;
    private int epmdPort;
    private int listenPort;
    private InetAddress listenAddress;
    private Duration netTickTime;
    private Duration setupTime;
    private RecordRegistry records;
    private long distBufferBusyLimit;
    private TlsOptions tls;
    private int epmdlessPort;
    private Map<String, Integer> peerPorts;
    private long distConnectionInboundLimit;
    private long distInboundLimit;
    private DecodeLimits distDecodeLimits;
    private NodeClock clock;

    /** The smallest inbound limit allowed: one frame of a few KiB must fit, with room for half of it to resume. */
    static final long MIN_INBOUND_LIMIT = 64 * 1024;

    private NodeOptions() {
        parallelism = Runtime.getRuntime().availableProcessors();
        shutdownTimeout = Duration.ofSeconds(10);
        netTickTime = Duration.ofSeconds(60);
        setupTime = Duration.ofSeconds(7);
        records = RecordRegistry.global();
        distBufferBusyLimit = 8L << 20;
        tls = TlsOptions.off();
        peerPorts = Map.of();
        distConnectionInboundLimit = 16L << 20;
        distInboundLimit = 64L << 20;
        distDecodeLimits = DecodeLimits.DISTRIBUTION;
        clock = NodeClock.system();
    }

    /** A copy of {@code o}, for a with-method to change one setting of and then {@link #checked()}. */
    private NodeOptions(NodeOptions o) {
        parallelism = o.parallelism;
        shutdownTimeout = o.shutdownTimeout;
        cookie = o.cookie;
        distributed = o.distributed;
        hidden = o.hidden;
        epmdPort = o.epmdPort;
        listenPort = o.listenPort;
        listenAddress = o.listenAddress;
        netTickTime = o.netTickTime;
        setupTime = o.setupTime;
        records = o.records;
        distBufferBusyLimit = o.distBufferBusyLimit;
        tls = o.tls;
        epmdlessPort = o.epmdlessPort;
        peerPorts = o.peerPorts;
        distConnectionInboundLimit = o.distConnectionInboundLimit;
        distInboundLimit = o.distInboundLimit;
        distDecodeLimits = o.distDecodeLimits;
        clock = o.clock;
    }

    /** A copy with one setting changed by {@code edit}, checked as a whole. */
    private NodeOptions with(java.util.function.Consumer<NodeOptions> edit) {
        NodeOptions copy = new NodeOptions(this);
        edit.accept(copy);
        return copy.checked();
    }

    private NodeOptions checked() {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
        positive(shutdownTimeout, "shutdown timeout", true);
        positive(netTickTime, "net_ticktime", false);
        positive(setupTime, "setup time", false);
        if (epmdPort < 0 || epmdPort > 65535 || listenPort < 0 || listenPort > 65535 || epmdlessPort < 0
                || epmdlessPort > 65535) {
            throw new IllegalArgumentException("ports are 0..65535");
        }
        Objects.requireNonNull(records, "records");
        if (distBufferBusyLimit < 1024) {
            throw new IllegalArgumentException("the distribution buffer busy limit must be at least 1 KiB, not "
                    + distBufferBusyLimit);
        }
        Objects.requireNonNull(tls, "tls");
        if (distConnectionInboundLimit < MIN_INBOUND_LIMIT) {
            throw new IllegalArgumentException("the distribution connection inbound limit must be at least 64 KiB, not "
                    + distConnectionInboundLimit);
        }
        if (distInboundLimit < MIN_INBOUND_LIMIT) {
            throw new IllegalArgumentException("the distribution inbound limit must be at least 64 KiB, not "
                    + distInboundLimit);
        }
        Objects.requireNonNull(distDecodeLimits, "distDecodeLimits");
        Objects.requireNonNull(clock, "clock");
        VarHandle.releaseFence(); // fields written once, before the copy escapes: published as final fields are
        return this;
    }

    private static void positive(Duration d, String what, boolean zeroOk) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || (!zeroOk && d.isZero())) {
            throw new IllegalArgumentException("the " + what + " must be " + (zeroOk ? "non-negative" : "positive")
                    + ", not " + d);
        }
    }

    /** Local only, one worker per processor, 10 s to shut down, net_ticktime 60 s, the global record registry. */
    public static NodeOptions defaults() {
        return new NodeOptions();
    }

    /**
     * Erlang's {@code dist_buf_busy_limit}: when more than this many bytes wait to go to a node, a process sending
     * it another message waits until the connection drains (default 8 MiB; Erlang's is 1 MiB).
     */
    public NodeOptions distBufferBusyLimit(long bytes) {
        return with(o -> o.distBufferBusyLimit = bytes);
    }

    public long distBufferBusyLimit() {
        return distBufferBusyLimit;
    }

    /**
     * TLS for the distribution (Erlang's {@code -proto_dist inet_tls}): {@link TlsOptions#off()} (the default) is
     * plain TCP. A TLS node and a plain one cannot connect to each other; the refusal names the cause on both sides.
     */
    public NodeOptions tls(TlsOptions options) {
        return with(o -> o.tls = options);
    }

    /** The distribution's TLS settings; {@link TlsOptions#off()} unless set. */
    public TlsOptions tls() {
        return tls;
    }

    /**
     * A node without EPMD, as Erlang's {@code -start_epmd false -erl_epmd_port PORT}: it listens on {@code port}
     * (over {@link #listenPort}), registers with no EPMD (its creation is random, as an unregistered Erlang node's),
     * and looks for every other node on {@code port} at its host, unless {@link #peerPort} names another. Erlang
     * nodes started that way with the same port and this node reach each other (each on its own host, or its own
     * address: {@code a@10.0.0.1}, {@code b@10.0.0.2}). 0 (the default) uses EPMD.
     *
     * @throws IllegalArgumentException for a port outside 1..65535 (0: off)
     */
    public NodeOptions epmdless(int port) {
        return with(o -> o.epmdlessPort = port);
    }

    /** The port of {@link #epmdless(int)}; 0 when the node uses EPMD. */
    public int epmdlessPort() {
        return epmdlessPort;
    }

    /**
     * The distribution port of one node, known without asking EPMD: connections to {@code node} (a full name,
     * {@code alive@host}, or an alive part for that name on any host) go to this port on its host. With EPMD, it
     * spares the look-up; with {@link #epmdless(int)}, it names a peer that listens elsewhere than the shared port.
     */
    public NodeOptions peerPort(String node, int port) {
        Objects.requireNonNull(node, "node");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a peer's port is 1..65535, not " + port);
        }
        Map<String, Integer> ports = new java.util.HashMap<>(peerPorts);
        ports.put(node, port);
        Map<String, Integer> copied = Map.copyOf(ports);
        return with(o -> o.peerPorts = copied);
    }

    /** The ports of {@link #peerPort}, by node name (or alive part). */
    public Map<String, Integer> peerPorts() {
        return peerPorts;
    }

    /**
     * Inbound backpressure for one connection: when messages that came from one node and wait, not yet taken, in
     * this node's mailboxes cost more than this many bytes (each its encoded size plus 64), the connection stops
     * reading until its processes have taken them down to half; TCP then holds the peer's senders back, as Erlang's
     * busy distribution port does. Default 16 MiB. One above {@link #distInboundLimit} is in effect that limit.
     *
     * @throws IllegalArgumentException below 64 KiB
     */
    public NodeOptions distConnectionInboundLimit(long bytes) {
        return with(o -> o.distConnectionInboundLimit = bytes);
    }

    public long distConnectionInboundLimit() {
        return distConnectionInboundLimit;
    }

    /**
     * Inbound backpressure for the node: when what all connections have delivered and local processes not yet taken
     * costs more than this many bytes, every connection that has something of its own waiting stops reading until
     * the total is down to half (a connection with nothing waiting may still deliver, 64 KiB at a time, so a
     * quiet peer's rpc gets through a flood from another). Default 64 MiB.
     *
     * @throws IllegalArgumentException below 64 KiB
     */
    public NodeOptions distInboundLimit(long bytes) {
        return with(o -> o.distInboundLimit = bytes);
    }

    public long distInboundLimit() {
        return distInboundLimit;
    }

    /**
     * What a message from a node that has proved the cookie may hold ({@link DecodeLimits#DISTRIBUTION} by default:
     * what OTP itself sends in normal use, a 512 MiB frame or binary, a 4 MiB integer). A frame past them closes its
     * connection, with the reason logged; the peer's links and monitors then fire {@code noconnection}, as for any
     * lost connection. The handshake, before the cookie is proved, has bounds of its own.
     */
    public NodeOptions distDecodeLimits(DecodeLimits limits) {
        return with(o -> o.distDecodeLimits = limits);
    }

    public DecodeLimits distDecodeLimits() {
        return distDecodeLimits;
    }

    /**
     * The clock the node's timers ({@code sendAfter}, and so GenServer and GenStatem timeouts), its processes'
     * receive and call timeouts, and its supervisors' restart windows run by: {@link NodeClock#system()} by
     * default; a test's manual clock lets it move time on without waiting (see {@link NodeClock}).
     */
    public NodeOptions clock(NodeClock clock) {
        Objects.requireNonNull(clock, "clock");
        return with(o -> o.clock = clock);
    }

    public NodeClock clock() {
        return clock;
    }

    /** How many processes run at once (worker threads). */
    public NodeOptions parallelism(int workers) {
        return with(o -> o.parallelism = workers);
    }

    /** How long {@link Node#close()} waits for processes to terminate. */
    public NodeOptions shutdownTimeout(Duration timeout) {
        return with(o -> o.shutdownTimeout = timeout);
    }

    /** The distribution cookie (Erlang's {@code -setcookie}). */
    public NodeOptions cookie(String secret) {
        Objects.requireNonNull(secret, "cookie");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the cookie is empty");
        }
        return with(o -> o.cookie = secret);
    }

    /** Whether the node joins the network (Erlang's {@code -sname}/{@code -name}). */
    public NodeOptions distributed(boolean on) {
        return with(o -> o.distributed = on);
    }

    /** A hidden node (Erlang's {@code -hidden}): connected nodes do not list it in {@code nodes()}. */
    public NodeOptions hidden(boolean on) {
        return with(o -> o.hidden = on);
    }

    /** The EPMD port; 0 (the default) means {@code ERL_EPMD_PORT}, else 4369. */
    public NodeOptions epmdPort(int port) {
        return with(o -> o.epmdPort = port);
    }

    /** The port to accept connections on; 0 (the default) picks a free one. */
    public NodeOptions listenPort(int port) {
        return with(o -> o.listenPort = port);
    }

    /** The address to accept connections on; null (the default) means every interface, as Erlang does. */
    public NodeOptions listenAddress(InetAddress address) {
        return with(o -> o.listenAddress = address);
    }

    /** Erlang's {@code net_ticktime}: ticks go out every quarter of it, and a silent peer is down after it. */
    public NodeOptions netTickTime(Duration tickTime) {
        return with(o -> o.netTickTime = tickTime);
    }

    /** Erlang's {@code net_setuptime}: how long a handshake may take. */
    public NodeOptions setupTime(Duration time) {
        return with(o -> o.setupTime = time);
    }

    /** The records this node maps to and from tagged tuples on the wire. */
    public NodeOptions records(RecordRegistry registry) {
        return with(o -> o.records = registry);
    }

    public int parallelism() {
        return parallelism;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** The cookie set with {@link #cookie(String)}, or null to use {@code ~/.erlang.cookie}. */
    public String cookie() {
        return cookie;
    }

    public boolean distributed() {
        return distributed;
    }

    public boolean hidden() {
        return hidden;
    }

    public int epmdPort() {
        return epmdPort;
    }

    public int listenPort() {
        return listenPort;
    }

    public InetAddress listenAddress() {
        return listenAddress;
    }

    public Duration netTickTime() {
        return netTickTime;
    }

    public Duration setupTime() {
        return setupTime;
    }

    public RecordRegistry records() {
        return records;
    }

    /** Hides the cookie. */
    @Override
    public String toString() {
        return "NodeOptions[parallelism=" + parallelism + ", shutdownTimeout=" + shutdownTimeout + ", distributed="
                + distributed + (hidden ? " (hidden)" : "") + ", epmdPort=" + epmdPort + ", listenPort=" + listenPort
                + ", netTickTime=" + netTickTime + (tls.enabled() ? ", tls=" + tls : "")
                + (epmdlessPort != 0 ? ", epmdless on port " + epmdlessPort : "")
                + (peerPorts.isEmpty() ? "" : ", peerPorts=" + peerPorts) + ", cookie="
                + (cookie == null ? "from ~/.erlang.cookie" : "***") + "]";
    }
}
