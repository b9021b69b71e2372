package io.ergon.net.discovery;

import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.NodeConnectException;
import io.ergon.node.NodeDown;
import io.ergon.node.NodeUp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node connected to the peers a {@link Discovery} source finds, as libcluster does for Elixir: it asks the
 * source when it starts, every {@link Settings#pollInterval()} and whenever the source signals a change; it connects
 * to each new peer, reconnects to a peer whose connection went down (one that restarted, say), and stops trying a
 * peer the source no longer lists (a connection that is up is left up: a node that left discovery may still be
 * talking). A peer that cannot be reached is tried again after {@link Settings#retryMin()}, doubling up to {@link
 * Settings#retryMax()}, for as long as the source lists it. Each change is logged once (a peer found, gone, connected,
 * unreachable; the source failing and recovering), repeated failures only at debug level.
 *
 * <p>It runs on a thread of its own, with a mailbox that watches the node's connections, from {@link #start} until
 * {@link #close} or the node's shutdown, and closes its source then. {@link #members()} may be called from any thread.
 */
public final class Membership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

    /**
     * How a membership paces itself.
     *
     * @param pollInterval how often it asks the source even without a signal of change
     * @param retryMin the wait before the first retry of a peer it could not connect to
     * @param retryMax the longest wait between retries
     */
    public record Settings(Duration pollInterval, Duration retryMin, Duration retryMax) {
        /** Every 5 s; retries after 200 ms, doubling up to 10 s. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(5), Duration.ofMillis(200),
                Duration.ofSeconds(10));

        public Settings {
            for (Duration d : List.of(pollInterval, retryMin, retryMax)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("the intervals must be positive");
                }
            }
            if (retryMax.compareTo(retryMin) < 0) {
                throw new IllegalArgumentException("retryMax is less than retryMin");
            }
        }
    }

    /** How a member stands. */
    public enum State {
        /** A connection attempt is under way (or about to start). */
        CONNECTING,
        /** Connected. */
        UP,
        /** Not connected; the next attempt waits its back-off. */
        UNREACHABLE
    }

    /**
     * A peer the source lists, as the membership sees it.
     *
     * @param peer what the source said of it
     * @param state whether it is connected
     * @param failures connection attempts that failed since it was last connected (or found)
     * @param lastFailure why the last attempt failed, or null
     */
    public record Member(Peer peer, State state, int failures, String lastFailure) {
        /** The member's node name. */
        public String node() {
            return peer.node();
        }
    }

    private record Changed() {
    }

    private record AttemptDone(String node, String failure) {
    }

    private record Wake() {
    }

    /** A member's state, owned by the membership's thread. */
    private static final class Tracked {
        Peer peer;
        State state = State.CONNECTING;
        int failures;
        String lastFailure;
        boolean attempting;
        long nextAttempt; // System.nanoTime() when the next attempt may start

        Tracked(Peer peer, long now) {
            this.peer = peer;
            this.nextAttempt = now;
        }
    }

    private final Node node;
    private final Discovery discovery;
    private final Settings settings;
    private final Mailbox mailbox;
    private final Map<String, Tracked> tracked = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile List<Member> snapshot = List.of();
    private final List<Consumer<List<Member>>> listeners = new CopyOnWriteArrayList<>();
    private volatile Thread thread;
    private boolean sourceFailing;

    private Membership(Node node, Discovery discovery, Settings settings) {
        this.node = node;
        this.discovery = discovery;
        this.settings = settings;
        this.mailbox = node.mailbox();
    }

    /** {@link #start(Node, Discovery, Settings)} with {@link Settings#DEFAULT}. */
    public static Membership start(Node node, Discovery discovery) throws IOException {
        return start(node, discovery, Settings.DEFAULT);
    }

    /**
     * Starts the source for {@code node} and follows its peers until {@link #close} or the node's shutdown.
     *
     * @throws IOException if the source cannot start (etcd unreachable, ...); nothing is left running then
     * @throws IllegalStateException if the node is not distributed
     */
    public static Membership start(Node node, Discovery discovery, Settings settings) throws IOException {
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(settings, "settings");
        if (!node.isDistributed()) {
            throw new IllegalStateException("discovery needs a distributed node: " + node.name());
        }
        Membership m = new Membership(node, discovery, settings);
        m.mailbox.node().watchNodes(m.mailbox.self(), true);
        try {
            discovery.start(node, () -> m.mailbox.send(m.mailbox.self(), new Changed()));
        } catch (IOException | RuntimeException e) {
            m.mailbox.close();
            throw e;
        }
        node.onShutdown(left -> m.close());
        m.thread = Thread.ofPlatform().daemon().name("ergon-membership-" + node.name().name()).start(m::run);
        LOG.info("{}: following the peers of {}", node.name(), discovery);
        return m;
    }

    /** The peers the source lists now (this node left out), by name, with how each stands. */
    public List<Member> members() {
        return snapshot;
    }

    /**
     * Calls {@code listener} with {@link #members()} each time it changes (a peer found, gone, connected, lost, or
     * failing once more), on the membership's thread: it must be quick. One that throws is logged and kept.
     */
    public void addListener(Consumer<List<Member>> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The names of the members that are connected now. */
    public List<String> connected() {
        return snapshot.stream().filter(m -> m.state() == State.UP).map(Member::node).toList();
    }

    /**
     * Stops following the peers and closes the source (an etcd registration is revoked). Connections stay as they
     * are. Waits for the membership's thread up to the node's setup time (an attempt under way is not waited for).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        mailbox.send(mailbox.self(), new Wake());
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(node.options().setupTime().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            discovery.close();
        } catch (RuntimeException e) {
            LOG.warn("{}: closing {} failed", node.name(), discovery, e);
        }
        mailbox.close();
    }

    private void run() {
        long nextPoll = System.nanoTime();
        try {
            while (!closed.get()) {
                long now = System.nanoTime();
                if (now - nextPoll >= 0) {
                    refresh(now);
                    nextPoll = now + settings.pollInterval().toNanos();
                }
                startDueAttempts(now);
                publish();
                long until = nextPoll;
                for (Tracked t : tracked.values()) {
                    if (t.state != State.UP && !t.attempting && t.nextAttempt - until < 0) {
                        until = t.nextAttempt;
                    }
                }
                Object m = mailbox.receive(Duration.ofNanos(Math.max(until - now, 1_000_000)));
                if (m instanceof Changed) {
                    nextPoll = System.nanoTime();
                } else if (m != null) {
                    handle(m);
                }
            }
        } catch (RuntimeException | Error e) {
            if (!closed.get()) {
                LOG.error("{}: the membership of {} stopped", node.name(), discovery, e);
            }
        }
    }

    private void refresh(long now) {
        Collection<Peer> found;
        try {
            found = discovery.peers();
        } catch (IOException | RuntimeException e) {
            if (!sourceFailing) {
                LOG.warn("{}: cannot ask {}: {}; keeping the {} peers known", node.name(), discovery, e.toString(),
                        tracked.size());
                sourceFailing = true;
            }
            return;
        }
        if (sourceFailing) {
            LOG.info("{}: {} answers again", node.name(), discovery);
            sourceFailing = false;
        }
        String self = node.name().name();
        Map<String, Peer> listed = new HashMap<>();
        for (Peer p : found) {
            if (!p.node().equals(self)) {
                listed.put(p.node(), p);
            }
        }
        for (var it = tracked.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!listed.containsKey(e.getKey())) {
                LOG.info("{}: {} left {}", node.name(), e.getKey(), discovery);
                node.locatePeer(e.getKey(), null, 0);
                it.remove();
            }
        }
        List<String> up = node.nodes().stream().map(a -> a.name()).toList();
        for (Peer p : listed.values()) {
            Tracked t = tracked.get(p.node());
            if (t == null) {
                LOG.info("{}: found {}{}", node.name(), p.node(), where(p));
                t = new Tracked(p, now);
                tracked.put(p.node(), t);
                node.locatePeer(p.node(), p.address(), p.port());
            } else if (!t.peer.equals(p)) {
                LOG.info("{}: {} moved{}", node.name(), p.node(), where(p));
                t.peer = p;
                t.nextAttempt = now;
                node.locatePeer(p.node(), p.address(), p.port());
            }
            if (up.contains(p.node())) {
                markUp(t);
            } else if (t.state == State.UP) {
                t.state = State.CONNECTING; // its NodeDown is on its way; reconnect now
                t.nextAttempt = now;
            }
        }
    }

    private static String where(Peer p) {
        if (p.address() == null && p.port() == 0) {
            return "";
        }
        return " at " + (p.address() == null ? "its host" : p.address().getHostAddress())
                + (p.port() == 0 ? "" : ", port " + p.port());
    }

    private void startDueAttempts(long now) {
        for (Tracked t : tracked.values()) {
            if (t.state == State.UP || t.attempting || t.nextAttempt - now > 0) {
                continue;
            }
            t.attempting = true;
            if (t.state != State.UNREACHABLE) {
                t.state = State.CONNECTING;
            }
            String peer = t.peer.node();
            Thread.ofVirtual().name("ergon-membership-connect-" + peer).start(() -> {
                String failure = null;
                try {
                    node.connectOrThrow(peer);
                } catch (NodeConnectException e) {
                    failure = e.reason();
                } catch (RuntimeException e) {
                    failure = e.toString();
                }
                mailbox.send(mailbox.self(), new AttemptDone(peer, failure));
            });
        }
    }

    private void handle(Object m) {
        long now = System.nanoTime();
        switch (m) {
            case AttemptDone(String peer, String failure) -> {
                Tracked t = tracked.get(peer);
                if (t == null) {
                    return; // it left while the attempt ran
                }
                t.attempting = false;
                if (failure == null || node.nodes().stream().anyMatch(n -> n.name().equals(peer))) {
                    markUp(t); // connected, by this attempt or by the peer's own
                    return;
                }
                t.failures++;
                t.lastFailure = failure;
                long wait = backoff(t.failures);
                t.nextAttempt = now + wait;
                if (t.state != State.UNREACHABLE) {
                    LOG.info("{}: cannot connect to {}: {}; retrying, at most every {} ms", node.name(), peer, failure,
                            settings.retryMax().toMillis());
                    t.state = State.UNREACHABLE;
                } else {
                    LOG.debug("{}: attempt {} to connect to {} failed: {}", node.name(), t.failures, peer, failure);
                }
            }
            case NodeUp(var peer) -> {
                Tracked t = tracked.get(peer.name());
                if (t != null) {
                    markUp(t);
                }
            }
            case NodeDown(var peer, var reason) -> {
                Tracked t = tracked.get(peer.name());
                if (t != null && t.state == State.UP) {
                    LOG.info("{}: lost {} ({}); reconnecting while it is listed", node.name(), peer, reason);
                    t.state = State.CONNECTING;
                    t.failures = 0;
                    t.nextAttempt = now;
                }
            }
            default -> {
            }
        }
    }

    private void markUp(Tracked t) {
        if (t.state != State.UP) {
            LOG.info("{}: connected to {}{}", node.name(), t.peer.node(),
                    t.failures == 0 ? "" : " after " + t.failures + " failed attempts");
        }
        t.state = State.UP;
        t.failures = 0;
        t.lastFailure = null;
    }

    /** The wait after the {@code failures}th failure in a row: retryMin doubling, at most retryMax. */
    long backoff(int failures) {
        long min = settings.retryMin().toNanos();
        long max = settings.retryMax().toNanos();
        int doublings = Math.min(failures - 1, 30);
        return min > max >> doublings ? max : Math.min(max, min << doublings);
    }

    private void publish() {
        List<Member> members = new ArrayList<>();
        for (Tracked t : tracked.values()) {
            members.add(new Member(t.peer, t.state, t.failures, t.lastFailure));
        }
        members.sort(Comparator.comparing(Member::node));
        if (members.equals(snapshot)) {
            return;
        }
        snapshot = List.copyOf(members);
        for (Consumer<List<Member>> l : listeners) {
            try {
                l.accept(snapshot);
            } catch (RuntimeException e) {
                LOG.warn("{}: a membership listener failed", node.name(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "Membership[" + node.name() + ", " + discovery + "]";
    }
}
