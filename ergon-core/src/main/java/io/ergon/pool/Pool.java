package io.ergon.pool;

import io.ergon.gen.ChildSpec;
import io.ergon.gen.GenServer;
import io.ergon.gen.internal.RestartIntensity;
import io.ergon.node.Actor;
import io.ergon.node.Down;
import io.ergon.node.Exit;
import io.ergon.node.From;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnException;
import io.ergon.node.SpawnOptions;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A supervised pool of workers behind one registered name, sharing out the requests it is sent: Ergo's pool,
 * poolboy's and Pekko's routers in one process.
 *
 * <p>A {@code gen_server} call to the pool goes to a worker with room for it ({@link PoolSpec#strategy}), and its
 * reply comes back through the pool. When every worker is full, requests wait in the pool, first come first served,
 * up to {@link PoolSpec#maxWaiting}; the next is answered {@code {'$ergon_pool_error', pool_full}} at once. Calls
 * work from any process, Java or Erlang, local or remote; {@link PoolClient} turns the error answers into
 * {@link PoolException}. A worker can also be checked out for a series of requests and checked in after, in
 * poolboy's style ({@link PoolClient#checkout}); it comes back by itself if its holder exits. Casts and other
 * messages go to each worker in turn. It is a {@code GenServer}: {@code sys} requests are its own.
 *
 * <p>The pool starts its workers linked and restarts any that exits. A request the worker had in hand is answered
 * {@code {'$ergon_pool_error', {worker_exit, Reason}}}. Past {@link PoolSpec#maxRestarts} restarts in
 * {@link PoolSpec#restartPeriod} the pool exits with {@code shutdown}, to its own supervisor. When the pool stops, it
 * stops its workers with {@code shutdown} first (killing those still running after 5 seconds).
 */
public final class Pool extends GenServer {
    static final Atom CONTROL = Atom.of("$ergon_pool");
    static final Atom ERROR = Atom.of("$ergon_pool_error");
    static final Atom CHECKOUT = Atom.of("checkout");
    static final Atom CHECKIN = Atom.of("checkin");
    static final Atom CANCEL_WAITING = Atom.of("cancel_waiting");
    static final Atom STATUS = Atom.of("status");
    static final Atom FULL = Atom.of("full");
    private static final Atom GEN_CALL = Atom.of("$gen_call");
    private static final Duration STOP_WORKERS_WITHIN = Duration.ofSeconds(5);

    private sealed interface Waiting {
    }

    private record WaitingCall(From from, Object request) implements Waiting {
    }

    private record WaitingCheckout(From from, Object cref) implements Waiting {
    }

    /** A request a worker has in hand: whom to answer. */
    private record InHand(From from, Pid worker) {
    }

    /** A checked-out worker and its holder, whose exit returns it. */
    private record Lease(Pid worker, Ref holderMonitor) {
    }

    private final PoolSpec spec;
    private final WorkerSlots slots;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final Map<Ref, InHand> inHand = new HashMap<>();
    private final Map<Object, Lease> leases = new HashMap<>();
    private final RestartIntensity restarts;

    public Pool(PoolSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.slots = new WorkerSlots(spec.size(), spec.workerCapacity());
        this.restarts = new RestartIntensity(spec.maxRestarts(), spec.restartPeriod());
    }

    /** A pool spec named {@code name} with the defaults ({@link PoolSpec}), whose workers {@code factory} makes. */
    public static PoolSpec spec(String name, Supplier<? extends Actor> factory) {
        return new PoolSpec(name, factory, 4, PoolStrategy.ROUND_ROBIN, 1, 10_000, 10, Duration.ofSeconds(5));
    }

    /** Starts a pool, registered under its name, outside any supervision tree; its workers have started on return. */
    public static Pid start(Node node, PoolSpec spec) {
        return node.spawn(() -> new Pool(spec), SpawnOptions.none().register(spec.name()));
    }

    /** The child spec that runs the pool, registered under its name, in a supervisor. */
    public static ChildSpec childSpec(PoolSpec spec) {
        return ChildSpec.worker(spec.name(), () -> new Pool(spec)).register(spec.name());
    }

    /** Talks to a pool (its pid, name, or name on another node) from outside any process. */
    public static PoolClient client(Node node, Object pool) {
        return new PoolClient(node, null, pool);
    }

    /** Talks to a pool as a process ({@code checkout} needs one: the lease is held by this process). */
    public static PoolClient client(ProcessContext caller, Object pool) {
        return new PoolClient(caller.node(), caller, pool);
    }

    @Override
    protected void init() {
        trapExit(true);
        for (int slot = 0; slot < slots.size(); slot++) {
            slots.fill(slot, spawnLink(spec.factory()));
        }
    }

    @Override
    protected Object handleCall(Object request, From from) {
        takeRequest(request, from);
        return noReply(); // the pool answers when the worker has (or at once, for its own requests)
    }

    /** Workers' exits and replies, holders' exits; any other message goes to the next worker in turn. */
    @Override
    protected void handleInfo(Object message) {
        switch (message) {
            case Exit exit -> workerExited(exit.from(), exit.reason()); // the parent's is GenServer's to handle
            case Down down -> holderExited(down.ref());
            case Tuple t when t.size() == 2 && t.get(0) instanceof Ref ref && inHand.containsKey(ref) ->
                    replied(ref, t.get(1));
            default -> send(slots.pid(slots.next()), message);
        }
    }

    private void takeRequest(Object request, From from) {
        if (request instanceof Tuple t && t.size() >= 2 && t.get(0) == CONTROL) {
            if (t.get(1) == CHECKOUT && t.size() == 4) {
                checkout(from, t.get(2), t.get(3) == Atom.TRUE);
                return;
            }
            if (t.get(1) == STATUS && t.size() == 2) {
                from.reply(Tuple.of(STATUS, slots.size(), slots.requests(), waiting.size(), slots.checkedOutCount()));
                return;
            }
        }
        if (!waiting.isEmpty() || !handOver(request, from)) {
            wait(new WaitingCall(from, request));
        }
    }

    /** Gives the request to a worker with room; false if there is none. */
    private boolean handOver(Object request, From from) {
        int slot = slots.pick(spec.strategy());
        if (slot < 0) {
            return false;
        }
        Pid worker = slots.pid(slot);
        Ref ref = makeRef();
        inHand.put(ref, new InHand(from, worker));
        slots.addRequest(slot);
        send(worker, Tuple.of(GEN_CALL, Tuple.of(self(), ref), request));
        return true;
    }

    private void wait(Waiting w) {
        if (waiting.size() >= spec.maxWaiting()) {
            from(w).reply(Tuple.of(ERROR, Atom.of("pool_full")));
        } else {
            waiting.addLast(w);
        }
    }

    private static From from(Waiting w) {
        return switch (w) {
            case WaitingCall c -> c.from();
            case WaitingCheckout c -> c.from();
        };
    }

    private void replied(Ref ref, Object reply) {
        InHand h = inHand.remove(ref);
        h.from().reply(reply);
        slots.requestDone(slots.slotOf(h.worker()));
        serveWaiting();
    }

    /** Hands waiting requests and checkouts to workers, in order, while the first one can be served. */
    private void serveWaiting() {
        while (!waiting.isEmpty()) {
            boolean served = switch (waiting.peekFirst()) {
                case WaitingCall c -> handOver(c.request(), c.from());
                case WaitingCheckout c -> lend(c.from(), c.cref());
            };
            if (!served) {
                return;
            }
            waiting.pollFirst();
        }
    }

    private void checkout(From from, Object cref, boolean block) {
        if (waiting.isEmpty() && lend(from, cref)) {
            return;
        }
        if (block) {
            wait(new WaitingCheckout(from, cref));
        } else {
            from.reply(FULL);
        }
    }

    /** Lends an idle worker to the caller under {@code cref}; false if none is idle. */
    private boolean lend(From from, Object cref) {
        int slot = slots.pickIdle();
        if (slot < 0) {
            return false;
        }
        slots.checkOut(slot, true);
        leases.put(cref, new Lease(slots.pid(slot), monitor(from.pid())));
        from.reply(slots.pid(slot));
        return true;
    }

    @Override
    protected void handleCast(Object message) {
        if (message instanceof Tuple t && t.size() == 3 && t.get(0) == CONTROL && t.get(1) == CHECKIN) {
            checkin(t.get(2));
        } else if (message instanceof Tuple t && t.size() == 3 && t.get(0) == CONTROL && t.get(1) == CANCEL_WAITING) {
            cancelWaiting(t.get(2));
        } else {
            cast(slots.pid(slots.next()), message);
        }
    }

    private void checkin(Object worker) {
        for (Iterator<Map.Entry<Object, Lease>> it = leases.entrySet().iterator(); it.hasNext(); ) {
            Lease lease = it.next().getValue();
            if (lease.worker().equals(worker)) {
                it.remove();
                giveBack(lease);
                return;
            }
        }
    }

    /** A checkout that gave up waiting: taken out of the queue, or, if the worker was already lent, given back. */
    private void cancelWaiting(Object cref) {
        waiting.removeIf(w -> w instanceof WaitingCheckout c && c.cref().equals(cref));
        Lease lease = leases.remove(cref);
        if (lease != null) {
            giveBack(lease);
        }
    }

    private void holderExited(Ref monitor) {
        leases.values().removeIf(lease -> {
            if (lease.holderMonitor().equals(monitor)) {
                returnWorker(lease.worker());
                return true;
            }
            return false;
        });
        serveWaiting();
    }

    private void giveBack(Lease lease) {
        demonitor(lease.holderMonitor());
        returnWorker(lease.worker());
        serveWaiting();
    }

    private void returnWorker(Pid worker) {
        int slot = slots.slotOf(worker);
        if (slot >= 0) {
            slots.checkOut(slot, false);
        }
    }

    private void workerExited(Pid worker, Object reason) {
        int slot = slots.slotOf(worker);
        if (slot < 0) {
            return; // an exit from a process the pool no longer follows
        }
        Object failure = Tuple.of(ERROR, Tuple.of(Atom.of("worker_exit"), reason));
        inHand.values().removeIf(h -> {
            if (h.worker().equals(worker)) {
                h.from().reply(failure);
                return true;
            }
            return false;
        });
        leases.values().removeIf(lease -> {
            if (lease.worker().equals(worker)) {
                demonitor(lease.holderMonitor());
                return true;
            }
            return false;
        });
        if (!Reasons.isNormal(reason)) {
            log().error("pool {}: worker {} exited with {}; restarting it", spec.name(), worker, reason);
        }
        if (restart(slot)) {
            serveWaiting();
        }
    }

    /** Restarts the worker of {@code slot}; false if the restart budget ran out and the pool is stopping. */
    private boolean restart(int slot) {
        slots.fill(slot, null);
        while (true) {
            if (!restarts.recordRestart(node().options().clock().nanoTime())) {
                log().error("pool {}: more than {} worker restarts in {}; the pool shuts down", spec.name(),
                        spec.maxRestarts(), spec.restartPeriod());
                stop(Reasons.SHUTDOWN);
                return false;
            }
            try {
                slots.fill(slot, spawnLink(spec.factory()));
                return true;
            } catch (SpawnException e) {
                log().error("pool {}: a worker did not start: {}", spec.name(), e.getMessage());
            }
        }
    }

    @Override
    protected void terminate(Object reason) {
        Object failure = Tuple.of(ERROR, Tuple.of(Atom.of("pool_exit"), reason));
        inHand.values().forEach(h -> h.from().reply(failure));
        waiting.forEach(w -> from(w).reply(failure));
        stopWorkers();
    }

    /** Every worker gets {@code shutdown}; those still running after {@link #STOP_WORKERS_WITHIN} are killed. */
    private void stopWorkers() {
        java.util.Set<Pid> running = new java.util.HashSet<>();
        for (int slot = 0; slot < slots.size(); slot++) {
            if (slots.pid(slot) != null) {
                running.add(slots.pid(slot));
                exit(slots.pid(slot), Reasons.SHUTDOWN);
            }
        }
        long deadline = System.nanoTime() + STOP_WORKERS_WITHIN.toNanos();
        while (!running.isEmpty()) {
            long left = deadline - System.nanoTime();
            Object m = left <= 0 ? null : receive(x -> x instanceof Exit e && running.contains(e.from()),
                    Duration.ofNanos(left));
            if (m == null) {
                running.forEach(w -> exit(w, Reasons.KILL));
                return;
            }
            running.remove(((Exit) m).from());
        }
    }
}
