package io.ergon.micrometer;

import io.ergon.node.CallTimeoutException;
import io.ergon.node.Node;
import io.ergon.node.NodeListener;
import io.ergon.node.NodeStats;
import io.ergon.term.Atom;
import io.ergon.term.TermFormat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micrometer meters for one Ergon node: what {@link Node#stats()} counts, the largest mailboxes, call latency,
 * supervisor restarts, and each peer connection's state and traffic. Bind it once:
 *
 * <pre>{@code
 * ErgonMetrics metrics = ErgonMetrics.bindTo(node, registry);   // or builder(node)...build().bindTo(registry)
 * ...
 * metrics.close();                                               // removes its meters and stops sampling
 * }</pre>
 *
 * <p><b>Meters</b> (every one tagged {@code node} with the node's name, plus the tags given to the builder):
 * <table>
 *   <caption>the meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@value #PROCESSES}</td><td>gauge</td><td></td><td>processes alive, mailbox handles included</td></tr>
 *   <tr><td>{@value #SPAWNED}</td><td>function counter</td><td></td><td>processes spawned with a behaviour</td></tr>
 *   <tr><td>{@value #EXITED}</td><td>function counter</td><td></td><td>those that exited, for any reason</td></tr>
 *   <tr><td>{@value #CRASHED}</td><td>function counter</td><td></td><td>those that exited abnormally</td></tr>
 *   <tr><td>{@value #MESSAGES_HANDLED}</td><td>function counter</td><td></td><td>messages handled by the node's
 *       processes</td></tr>
 *   <tr><td>{@value #MAILBOX_DEPTH}</td><td>gauge per process</td><td>{@code pid}, {@code name}</td><td>messages
 *       waiting, for the {@code topMailboxes} processes with the most, sampled every {@code samplePeriod}</td></tr>
 *   <tr><td>{@value #CALLS}</td><td>timer, with a histogram</td><td>{@code outcome}: {@code ok}, {@code timeout},
 *       {@code error}</td><td>calls made from the node, request to reply</td></tr>
 *   <tr><td>{@value #SUPERVISOR_RESTARTS}</td><td>counter</td><td>{@code supervisor}, {@code child}</td><td>restarts
 *       by the node's supervisors</td></tr>
 *   <tr><td>{@value #CONNECTION_STATE}</td><td>gauge per peer</td><td>{@code peer}</td><td>0 down, 1 connecting,
 *       2 up</td></tr>
 *   <tr><td>{@value #CONNECTION_BYTES_IN}, {@value #CONNECTION_BYTES_OUT}</td><td>function counters per
 *       peer</td><td>{@code peer}</td><td>bytes read from and written to the peer</td></tr>
 *   <tr><td>{@value #CONNECTION_MESSAGES_IN}, {@value #CONNECTION_MESSAGES_OUT}</td><td>function counters per
 *       peer</td><td>{@code peer}</td><td>messages and signals from and to the peer</td></tr>
 *   <tr><td>{@value #CONNECTION_BUSY_WAITS}</td><td>function counter per peer</td><td>{@code peer}</td><td>times a
 *       sender waited because the connection was busy</td></tr>
 * </table>
 *
 * <p><b>What it costs.</b> The counters read {@link Node#stats()} when a registry publishes (at most once per
 * {@value #FRESH_MILLIS} ms, shared by all meters). A sampler thread ({@code ergon-metrics-NODE}, a daemon) looks for
 * the largest mailboxes and for new peers every {@code samplePeriod} (10 s by default): that walks the process table
 * once. Call timing makes every call read the clock twice; {@code timeCalls(false)} turns it off.
 *
 * <p><b>Meters that come and go.</b> A process's mailbox gauge is removed once it is no longer among the largest (it
 * emptied or exited): at most {@code topMailboxes} exist at a time. A peer's meters stay while the node keeps the
 * peer's counts (its state reads 0 once it is down) and go when the node forgets it. Restart counters are kept per
 * supervisor and child; past {@value #MAX_RESTART_SERIES} pairs (unregistered supervisors are named by pid, which
 * change as they restart) further restarts count under {@code supervisor=other, child=other}.
 *
 * <p>An instance binds to one registry (use a {@code CompositeMeterRegistry} for several) and is thread-safe. When
 * the node shuts down the sampler stops; the meters stay until {@link #close()}.
 */
public final class ErgonMetrics implements MeterBinder, AutoCloseable {
    public static final String PROCESSES = "ergon.processes";
    public static final String SPAWNED = "ergon.processes.spawned";
    public static final String EXITED = "ergon.processes.exited";
    public static final String CRASHED = "ergon.processes.crashed";
    public static final String MESSAGES_HANDLED = "ergon.messages.handled";
    public static final String MAILBOX_DEPTH = "ergon.process.mailbox.depth";
    public static final String CALLS = "ergon.calls";
    public static final String SUPERVISOR_RESTARTS = "ergon.supervisor.restarts";
    public static final String CONNECTION_STATE = "ergon.connection.state";
    public static final String CONNECTION_BYTES_IN = "ergon.connection.bytes.in";
    public static final String CONNECTION_BYTES_OUT = "ergon.connection.bytes.out";
    public static final String CONNECTION_MESSAGES_IN = "ergon.connection.messages.in";
    public static final String CONNECTION_MESSAGES_OUT = "ergon.connection.messages.out";
    public static final String CONNECTION_BUSY_WAITS = "ergon.connection.busy.waits";

    /** How long one read of {@link Node#stats()} serves the meters that publish after it. */
    static final long FRESH_MILLIS = 100;
    /** Supervisor and child pairs with a restart counter of their own, at most. */
    static final int MAX_RESTART_SERIES = 1000;
    /** The {@code topMailboxes} allowed at most. */
    static final int MAX_TOP_MAILBOXES = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ErgonMetrics.class);
    private static final String NO_NAME = "none";

    private final Node node;
    private final Tags tags;
    private final int topMailboxes;
    private final Duration samplePeriod;
    private final boolean timeCalls;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Meter> meters = new ArrayList<>();
    private final ConcurrentHashMap<Atom, Peer> peers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<List<String>, Counter> restarts = new ConcurrentHashMap<>();
    private final Listener listener = new Listener();
    private volatile Snapshot snapshot;
    private MeterRegistry registry;
    private MultiGauge mailboxes;
    private Timer callsOk;
    private Timer callsTimeout;
    private Timer callsError;
    private ScheduledExecutorService sampler;
    private volatile boolean closed;

    private ErgonMetrics(Builder b) {
        this.node = b.node;
        this.tags = Tags.of("node", b.node.name().name()).and(b.tags);
        this.topMailboxes = b.topMailboxes;
        this.samplePeriod = b.samplePeriod;
        this.timeCalls = b.timeCalls;
    }

    /** Meters for {@code node} with the defaults, bound to {@code registry}; close the result to remove them. */
    public static ErgonMetrics bindTo(Node node, MeterRegistry registry) {
        ErgonMetrics metrics = builder(node).build();
        metrics.bindTo(registry);
        return metrics;
    }

    /** A builder, for tags of your own, how many mailboxes to show, how often to sample, and call timing. */
    public static Builder builder(Node node) {
        return new Builder(node);
    }

    /** Options of {@link ErgonMetrics}; the defaults suit a node of up to a few hundred thousand processes. */
    public static final class Builder {
        private final Node node;
        private Tags tags = Tags.empty();
        private int topMailboxes = 10;
        private Duration samplePeriod = Duration.ofSeconds(10);
        private boolean timeCalls = true;

        private Builder(Node node) {
            this.node = Objects.requireNonNull(node, "node");
        }

        /** Tags added to every meter (beside {@code node}). */
        public Builder tags(Iterable<Tag> tags) {
            this.tags = Tags.of(tags);
            return this;
        }

        /**
         * How many processes with the most messages waiting get a {@value #MAILBOX_DEPTH} gauge (10 by default, at
         * most {@value #MAX_TOP_MAILBOXES}; 0 turns the gauges off).
         */
        public Builder topMailboxes(int n) {
            if (n < 0 || n > MAX_TOP_MAILBOXES) {
                throw new IllegalArgumentException("topMailboxes must be within 0.." + MAX_TOP_MAILBOXES + ", not "
                        + n);
            }
            this.topMailboxes = n;
            return this;
        }

        /** How often the largest mailboxes and new peers are looked for (10 s by default; at least 10 ms). */
        public Builder samplePeriod(Duration period) {
            if (period.compareTo(Duration.ofMillis(10)) < 0) {
                throw new IllegalArgumentException("samplePeriod must be at least 10 ms, not " + period);
            }
            this.samplePeriod = period;
            return this;
        }

        /** Whether calls are timed into {@value #CALLS} (true by default: two clock reads per call). */
        public Builder timeCalls(boolean on) {
            this.timeCalls = on;
            return this;
        }

        public ErgonMetrics build() {
            return new ErgonMetrics(this);
        }
    }

    // ------------------------------------------------------------------ binding

    /**
     * Registers the meters with {@code registry}, starts listening to the node's events and starts the sampler.
     *
     * @throws IllegalStateException if this instance is bound already, or closed
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        lock.lock();
        try {
            if (closed || this.registry != null) {
                throw new IllegalStateException(closed ? "closed" : "already bound to a registry");
            }
            this.registry = registry;
            meters.add(Gauge.builder(PROCESSES, this, m -> m.node.processCount()).tags(tags)
                    .description("Processes alive, mailbox handles included").baseUnit("processes")
                    .strongReference(true).register(registry));
            meters.add(counter(SPAWNED, "Processes spawned with a behaviour", NodeStats::spawned));
            meters.add(counter(EXITED, "Processes with a behaviour that exited, for any reason", NodeStats::exited));
            meters.add(counter(CRASHED, "Processes with a behaviour that exited with an abnormal reason",
                    NodeStats::crashed));
            meters.add(counter(MESSAGES_HANDLED, "Messages handled by the node's processes",
                    NodeStats::messagesHandled));
            mailboxes = MultiGauge.builder(MAILBOX_DEPTH).tags(tags).baseUnit("messages")
                    .description("Messages waiting, for the processes with the most").register(registry);
            callsOk = callTimer("ok");
            callsTimeout = callTimer("timeout");
            callsError = callTimer("error");
            node.addListener(listener);
            sampleNow();
            sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ergon-metrics-" + node.name().name());
                t.setDaemon(true);
                return t;
            });
            long period = samplePeriod.toNanos();
            sampler.scheduleWithFixedDelay(this::sampleQuietly, period, period, TimeUnit.NANOSECONDS);
            node.onShutdown(left -> stopSampler());
        } finally {
            lock.unlock();
        }
    }

    private FunctionCounter counter(String name, String description, ToDoubleFunction<NodeStats> read) {
        return FunctionCounter.builder(name, this, m -> read.applyAsDouble(m.stats())).tags(tags)
                .description(description).register(registry);
    }

    private Timer callTimer(String outcome) {
        return Timer.builder(CALLS).tags(tags).tag("outcome", outcome)
                .description("Calls made from the node, from the request to the reply or the failure")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    // ------------------------------------------------------------------ sampling

    /**
     * Samples now what the sampler samples every {@code samplePeriod}: the largest mailboxes, and the peers (meters
     * for new ones, none for forgotten ones). Any thread.
     */
    public void sampleNow() {
        lock.lock();
        try {
            if (closed || registry == null) {
                return;
            }
            NodeStats stats = refresh();
            samplePeers(stats);
            if (topMailboxes > 0) {
                List<MultiGauge.Row<?>> rows = new ArrayList<>();
                for (NodeStats.MailboxDepth d : node.largestMailboxes(topMailboxes)) {
                    rows.add(MultiGauge.Row.of(Tags.of("pid", TermFormat.format(d.pid()),
                            "name", d.registeredName() == null ? NO_NAME : d.registeredName().name()), d.depth()));
                }
                mailboxes.register(rows, true);
            }
        } finally {
            lock.unlock();
        }
    }

    private void sampleQuietly() {
        try {
            sampleNow();
        } catch (RuntimeException e) {
            LOG.warn("ergon metrics of {}: a sample failed", node.name(), e);
        }
    }

    /** Meters for each peer the node reports, once; removes those of peers it no longer reports. */
    private void samplePeers(NodeStats stats) {
        Map<Atom, NodeStats.Connection> now = new HashMap<>();
        for (NodeStats.Connection c : stats.connections()) {
            now.put(c.peer(), c);
            peers.computeIfAbsent(c.peer(), this::registerPeer).last = c;
        }
        peers.entrySet().removeIf(e -> {
            if (now.containsKey(e.getKey())) {
                return false;
            }
            e.getValue().meters.forEach(registry::remove);
            return true;
        });
    }

    /** One peer's meters and its last counts (kept, so a meter read between its removal and a sample has a value). */
    private static final class Peer {
        final List<Meter> meters = new ArrayList<>();
        volatile NodeStats.Connection last;
    }

    private Peer registerPeer(Atom peer) {
        Peer p = new Peer();
        Tags t = tags.and("peer", peer.name());
        p.meters.add(Gauge.builder(CONNECTION_STATE, this, m -> state(m.connection(peer, p))).tags(t)
                .description("The connection to the peer: 0 down, 1 connecting, 2 up").strongReference(true)
                .register(registry));
        p.meters.add(peerCounter(CONNECTION_BYTES_IN, t, peer, p, NodeStats.Connection::bytesIn,
                "Bytes read from the peer", "bytes"));
        p.meters.add(peerCounter(CONNECTION_BYTES_OUT, t, peer, p, NodeStats.Connection::bytesOut,
                "Bytes written to the peer", "bytes"));
        p.meters.add(peerCounter(CONNECTION_MESSAGES_IN, t, peer, p, NodeStats.Connection::messagesIn,
                "Messages and signals received from the peer", "messages"));
        p.meters.add(peerCounter(CONNECTION_MESSAGES_OUT, t, peer, p, NodeStats.Connection::messagesOut,
                "Messages and signals sent to the peer", "messages"));
        p.meters.add(peerCounter(CONNECTION_BUSY_WAITS, t, peer, p, NodeStats.Connection::busyWaits,
                "Times a sender waited because the connection to the peer was busy", null));
        return p;
    }

    private FunctionCounter peerCounter(String name, Tags t, Atom peer, Peer p,
                                        ToDoubleFunction<NodeStats.Connection> read, String description, String unit) {
        FunctionCounter.Builder<ErgonMetrics> b = FunctionCounter.builder(name, this,
                m -> read.applyAsDouble(m.connection(peer, p))).tags(t).description(description);
        return (unit == null ? b : b.baseUnit(unit)).register(registry);
    }

    private static double state(NodeStats.Connection c) {
        return switch (c.state()) {
            case DOWN -> 0;
            case CONNECTING -> 1;
            case UP -> 2;
        };
    }

    /** The peer's counts from a fresh snapshot, or the last ones seen if the node no longer reports it. */
    private NodeStats.Connection connection(Atom peer, Peer p) {
        NodeStats.Connection c = snapshotStats().byPeer.get(peer);
        if (c != null) {
            p.last = c;
            return c;
        }
        NodeStats.Connection last = p.last;
        return new NodeStats.Connection(peer, NodeStats.ConnectionState.DOWN, last.bytesIn(), last.bytesOut(),
                last.messagesIn(), last.messagesOut(), last.busyWaits());
    }

    /** The node's stats, read at most once per {@value #FRESH_MILLIS} ms for all the meters. */
    private NodeStats stats() {
        return snapshotStats().stats;
    }

    private Snapshot snapshotStats() {
        Snapshot s = snapshot;
        if (s == null || System.nanoTime() - s.at > TimeUnit.MILLISECONDS.toNanos(FRESH_MILLIS)) {
            s = new Snapshot(node.stats(), System.nanoTime());
            snapshot = s;
        }
        return s;
    }

    private NodeStats refresh() {
        Snapshot s = new Snapshot(node.stats(), System.nanoTime());
        snapshot = s;
        return s.stats;
    }

    /** One read of the node's stats, and its connections by peer. */
    private static final class Snapshot {
        final NodeStats stats;
        final long at;
        final Map<Atom, NodeStats.Connection> byPeer = new HashMap<>();

        Snapshot(NodeStats stats, long at) {
            this.stats = stats;
            this.at = at;
            for (NodeStats.Connection c : stats.connections()) {
                byPeer.put(c.peer(), c);
            }
        }
    }

    // ------------------------------------------------------------------ events

    /** Restarts and call timings, as the node reports them (on its processes' threads: record and return). */
    private final class Listener implements NodeListener {
        @Override
        public void supervisorRestarted(SupervisorRestart restart) {
            if (!closed) {
                restartCounter(restart.supervisorName(), restart.childId()).increment();
            }
        }

        @Override
        public boolean timesCalls() {
            return timeCalls;
        }

        @Override
        public void callCompleted(Object callee, long nanos, Throwable failure) {
            Timer t = failure == null ? callsOk : failure instanceof CallTimeoutException ? callsTimeout : callsError;
            t.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private Counter restartCounter(String supervisor, String child) {
        List<String> key = List.of(supervisor, child);
        Counter c = restarts.get(key);
        if (c != null) {
            return c;
        }
        if (restarts.size() >= MAX_RESTART_SERIES) {
            key = List.of("other", "other");
        }
        return restarts.computeIfAbsent(key, k -> Counter.builder(SUPERVISOR_RESTARTS).tags(tags)
                .tag("supervisor", k.get(0)).tag("child", k.get(1))
                .description("Children restarted by the node's supervisors").register(registry));
    }

    // ------------------------------------------------------------------ closing

    private void stopSampler() {
        ScheduledExecutorService s;
        lock.lock();
        try {
            s = sampler;
            sampler = null;
        } finally {
            lock.unlock();
        }
        if (s != null) {
            s.shutdownNow();
        }
    }

    /** Stops sampling and listening, and removes every meter this instance registered. Idempotent. */
    @Override
    public void close() {
        stopSampler();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (registry == null) {
                return;
            }
            node.removeListener(listener);
            mailboxes.register(List.of(), true);
            meters.forEach(registry::remove);
            meters.clear();
            for (Peer p : peers.values()) {
                p.meters.forEach(registry::remove);
            }
            peers.clear();
            restarts.values().forEach(registry::remove);
            restarts.clear();
            registry.remove(callsOk);
            registry.remove(callsTimeout);
            registry.remove(callsError);
        } finally {
            lock.unlock();
        }
    }
}
