package io.ergon.net.internal;

import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection to another node and its life: {@code CONNECTING → UP → CLOSED}. Made when the first message goes
 * there (or when {@code connect} is called, or when the peer connects to us), it queues outgoing frames from the
 * start; once the handshake is done a {@link ConnectionReader} and a {@link ConnectionWriter} run on the node's
 * carriers. Its {@link BusyGate} suspends senders that outpace the peer; its {@link InboundBacklog.Account} stops its
 * reader while local processes have not taken enough of what it delivered; its {@link TickWatch} tells the ticker
 * when to send a tick and when the peer has gone silent.
 *
 * <p>It remembers which local processes have links or monitors across it ({@link #involve}), so that when it
 * closes they, and only they, learn that the node is down.
 */
final class Connection implements Control.Origin, Ticker.Tickable {
    enum State { CONNECTING, UP, CLOSED }

    private final Distribution dist;
    /** Provisional (outside the atom table) until the handshake succeeds; then the table's atom. */
    private volatile Atom peer;
    private final OutQueue queue;
    private final BusyGate busy;
    private final TickWatch ticks = new TickWatch();
    private final InboundBacklog.Account inbound;
    private final Set<Pid> involved = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Boolean> established = new CompletableFuture<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean ending = new AtomicBoolean();
    /** Set when the peer's own attempt, which wins a simultaneous connect, is being accepted into this one. */
    volatile boolean acceptingSimultaneous;
    private volatile State state = State.CONNECTING;
    private volatile Channel channel;
    /** Set when a graceful close saw the writer flush everything: TLS may then say close_notify. */
    private volatile boolean drainedBeforeClose;
    private volatile String closeReason;
    private volatile long flags;
    private volatile int peerCreation;
    /** The peer's traffic counts, from when the handshake succeeded (null before). */
    private volatile PeerTraffic traffic;

    Connection(Distribution dist, Atom peer) {
        this.dist = dist;
        this.peer = peer;
        this.queue = new OutQueue(dist.node().threads()::unparkElsewhere);
        this.busy = new BusyGate(dist.node().threads());
        this.inbound = dist.inboundBacklog().open();
    }

    @Override
    public Atom peer() {
        return peer;
    }

    State state() {
        return state;
    }

    long flags() {
        return flags;
    }

    int peerCreation() {
        return peerCreation;
    }

    boolean has(long flag) {
        return (flags & flag) != 0;
    }

    /** Completes with true once up, false if the connection failed or closed first. */
    CompletableFuture<Boolean> established() {
        return established;
    }

    /** Queues a frame; frames queued while connecting go out after the handshake. False once closed. */
    boolean send(OutFrame frame) {
        if (state == State.CLOSED) {
            return false;
        }
        busy.queued(frame.data().length);
        queue.offer(frame);
        return true;
    }

    /** True while more than {@code limit} bytes wait to be written (Erlang's busy distribution port). */
    boolean isBusy(long limit) {
        return busy.isBusy(limit);
    }

    /** Waits while the connection is busy (see {@link BusyGate#awaitNotBusy}), counting the wait. */
    void awaitNotBusy(long limit) {
        PeerTraffic t = traffic;
        if (t != null && busy.isBusy(limit)) {
            t.busyWait();
        }
        busy.awaitNotBusy(limit);
    }

    /** The peer's traffic counts; set before the reader and the writer start. */
    PeerTraffic traffic() {
        return traffic;
    }

    /**
     * Notes that a local process has a link, monitor or spawn request across this connection. A connection that
     * has already begun to close may have told the processes it knew before this one: then this one is told here
     * that the node is down (a process that hears it twice fires only what is still pending).
     */
    @Override
    public void involve(Pid local) {
        involved.add(local);
        if (closing.get()) {
            dist.tellNodeDown(this, local);
        }
    }

    @Override
    public boolean payloadExits() {
        return Control.payloadExits(this);
    }

    @Override
    public void reply(Pid to, Control.Encoded e) {
        dist.send(this, to, e);
    }

    @Override
    public void spawnRequest(Tuple control, Object payload) {
        Spawns.request(dist, this, control, payload);
    }

    /** A message for a local process, charged to this connection's inbound backlog (see {@link InboundBacklog}). */
    @Override
    public Object inbound(Object message, int bytes) {
        return inbound.charge(message, bytes);
    }

    /** This connection's share of the node's inbound backlog. */
    InboundBacklog.Account inboundBacklog() {
        return inbound;
    }

    Set<Pid> involved() {
        return involved;
    }

    /**
     * The handshake succeeded on {@code s}: start reading and writing. Only the first successful handshake of a
     * simultaneous connect gets here with effect; a later one is told so (false) and must close its socket.
     */
    boolean start(Channel ch, Handshake.Peer info, long ourFlags) {
        if (!started.compareAndSet(false, true)) {
            return false;
        }
        this.channel = ch;
        this.peer = Atom.of(peer.name()); // the peer proved the cookie: its name may enter the atom table
        this.flags = info.common(ourFlags);
        this.peerCreation = info.creation();
        if (closing.get()) {
            closeSocket();
            return true;
        }
        this.traffic = dist.connections().trafficOf(peer);
        state = State.UP;
        dist.up(this); // node monitors hear of it before anything read on it, as in Erlang
        // on the node's carriers: a reply read here is handed the reader's carrier, a frame sent by a process the
        // sender's, so a call across nodes switches threads on one core at each end
        dist.node().threads().startSystemThread("ergon-dist-reader-" + peer, new ConnectionReader(this, dist));
        dist.node().threads().startSystemThread("ergon-dist-writer-" + peer, new ConnectionWriter(this, dist));
        established.complete(true);
        return true;
    }

    Socket socket() {
        return channel.socket();
    }

    Channel channel() {
        return channel;
    }

    /** Why it closed, once it has: what a failed {@code connect} reports. */
    String closeReason() {
        return closeReason;
    }

    OutQueue queue() {
        return queue;
    }

    BusyGate busy() {
        return busy;
    }

    TickWatch ticks() {
        return ticks;
    }

    /** The writer flushed everything queued before a graceful close's end marker. */
    void drained() {
        drained.complete(null);
    }

    /**
     * Called every quarter of net_ticktime: sends a tick if nothing went out since last time, and closes the
     * connection if nothing came in for the whole net_ticktime.
     */
    @Override
    public void tick() {
        if (state != State.UP) {
            return;
        }
        if (ticks.nothingSentSinceLastQuarter()) {
            queue.offer(OutFrame.TICK);
        }
        if (ticks.silentForTickTime(inbound.paused(), inbound.pauses())) {
            close(CloseCause.TICK_TIMEOUT, "no traffic for net_ticktime (" + dist.netTickTime()
                    + "): the peer stopped ticking");
        }
    }

    /**
     * Waits, at most {@code wait}, until the writer has flushed what was queued before {@link #endOutput}: then the
     * connection can close without losing the last messages the node's processes sent.
     */
    void awaitDrained(Duration wait) {
        if (state == State.UP && ending.get()) {
            try {
                drained.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                drainedBeforeClose = true;
            } catch (Exception e) {
                // closing anyway
            }
        }
    }

    /**
     * Queues the end of output after the frames already queued (once): the writer flushes them and stops, and
     * the socket can then close at once. A closing node ends every connection's output and waits for all of them
     * before it closes the first, so that its peers see all its connections close at about the same time.
     */
    void endOutput() {
        if (state == State.UP && ending.compareAndSet(false, true)) {
            queue.offer(OutFrame.END);
        }
    }

    /** Closes the connection (once); the node then treats the peer as down. */
    void close(String reason) {
        close(CloseCause.CLOSED, reason);
    }

    /** Closes the connection because something went wrong (logged as a warning). */
    void fail(String reason) {
        close(CloseCause.FAILED, reason);
    }

    void close(CloseCause cause, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        boolean wasUp = state == State.UP;
        closeReason = reason;
        state = State.CLOSED;
        closeSocket();
        queue.wake();
        drained.complete(null);
        busy.release();
        dist.closed(this, cause, reason, wasUp);
        established.complete(false);
    }

    private void closeSocket() {
        Channel ch = channel;
        if (ch != null) {
            ch.close(drainedBeforeClose);
        }
    }

    @Override
    public String toString() {
        return "Connection[" + peer + ", " + state + "]";
    }
}
