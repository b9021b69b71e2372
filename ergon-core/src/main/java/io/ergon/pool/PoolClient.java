package io.ergon.pool;

import io.ergon.node.CallTimeoutException;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The operations on a {@link Pool}: calls and casts shared out to its workers, checkouts, its status. Get one with
 * {@link Pool#client(Node, Object)} or {@link Pool#client(ProcessContext, Object)}. Immutable.
 *
 * <p>A call waits for a worker as long as its timeout (5 s unless given), queueing included, and throws
 * {@link PoolException} when the pool refuses it or its worker exits, and
 * {@link io.ergon.node.CallTimeoutException} when the time runs out.
 */
public final class PoolClient {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private final Node node;
    private final ProcessContext caller;
    private final Object pool;

    PoolClient(Node node, ProcessContext caller, Object pool) {
        this.node = Objects.requireNonNull(node, "node");
        this.caller = caller;
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Sends {@code request} to a worker and returns its reply, waiting up to 5 s. */
    public <T> T call(Object request) {
        return call(request, DEFAULT_TIMEOUT);
    }

    /** Sends {@code request} to a worker and returns its reply, waiting up to {@code timeout}. */
    @SuppressWarnings("unchecked")
    public <T> T call(Object request, Duration timeout) {
        return (T) unwrap(rawCall(request, timeout));
    }

    /** Casts {@code message} to the next worker in turn. */
    public void cast(Object message) {
        if (caller != null) {
            caller.cast(pool, message);
        } else {
            node.cast(pool, message);
        }
    }

    /**
     * Checks out an idle worker for this process, waiting up to {@code timeout} for one; use it with ordinary calls
     * and give it back with {@link Lease#close()}. If this process exits first, the pool takes it back.
     *
     * @throws PoolException with reason {@code timeout} if none became idle in time, or {@code pool_full}
     */
    public Lease checkout(Duration timeout) {
        ProcessContext holder = requireCaller();
        Object cref = holder.makeRef();
        try {
            Object reply = unwrap(holder.call(pool, Tuple.of(Pool.CONTROL, Pool.CHECKOUT, cref, Atom.TRUE), timeout));
            return new Lease(this, (Pid) reply);
        } catch (CallTimeoutException e) {
            // the worker may have been lent just now: the pool gives it back on this cancel
            holder.cast(pool, Tuple.of(Pool.CONTROL, Pool.CANCEL_WAITING, cref));
            throw new PoolException(pool, Atom.of("timeout"));
        }
    }

    /** Checks out an idle worker if there is one now (poolboy's non-blocking checkout); null if there is none. */
    public Lease tryCheckout() {
        ProcessContext holder = requireCaller();
        Object reply = unwrap(holder.call(pool, Tuple.of(Pool.CONTROL, Pool.CHECKOUT, holder.makeRef(), Atom.FALSE),
                DEFAULT_TIMEOUT));
        return reply == Pool.FULL ? null : new Lease(this, (Pid) reply);
    }

    /** Runs {@code work} with a checked-out worker and gives it back after, whatever happens (poolboy's transaction). */
    public <T> T transaction(Duration timeout, Function<Pid, T> work) {
        try (Lease lease = checkout(timeout)) {
            return work.apply(lease.worker());
        }
    }

    /** The pool's load now. */
    public PoolStatus status() {
        Tuple t = (Tuple) rawCall(Tuple.of(Pool.CONTROL, Pool.STATUS), DEFAULT_TIMEOUT);
        return new PoolStatus(number(t.get(1)), number(t.get(2)), number(t.get(3)), number(t.get(4)));
    }

    private Object rawCall(Object request, Duration timeout) {
        return caller != null ? caller.call(pool, request, timeout) : node.call(pool, request, timeout);
    }

    private Object unwrap(Object reply) {
        if (reply instanceof Tuple t && t.size() == 2 && t.get(0) == Pool.ERROR) {
            throw new PoolException(pool, t.get(1));
        }
        return reply;
    }

    private static int number(Object n) {
        return ((Number) n).intValue();
    }

    private ProcessContext requireCaller() {
        if (caller == null) {
            throw new IllegalStateException("a checkout is held by a process: make the client with "
                    + "Pool.client(ProcessContext, pool), from an actor or a Mailbox");
        }
        return caller;
    }

    void checkin(Pid worker) {
        cast(Tuple.of(Pool.CONTROL, Pool.CHECKIN, worker));
    }

    @Override
    public String toString() {
        return "PoolClient[" + pool + "]";
    }

    /** A checked-out worker; {@link #close()} gives it back (once). */
    public static final class Lease implements AutoCloseable {
        private final PoolClient client;
        private final Pid worker;
        private boolean closed;

        Lease(PoolClient client, Pid worker) {
            this.client = client;
            this.worker = worker;
        }

        /** The worker, to call as any process. */
        public Pid worker() {
            return worker;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                client.checkin(worker);
            }
        }
    }
}
