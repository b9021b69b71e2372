package io.ergon.pool;

import io.ergon.node.Actor;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a {@link Pool} runs: its registered name, how to make a worker, how many, and how requests are shared out.
 * Immutable; the {@code with}-style methods return changed copies. Make one with {@link Pool#spec(String, Supplier)}.
 *
 * <p>Defaults are the safe ones: 4 workers, {@link PoolStrategy#ROUND_ROBIN}, one request per worker at a time (a slow
 * request never holds up another behind it in a worker's mailbox), at most 10,000 requests waiting for a worker (the
 * next is refused at once), and workers restarted at most 10 times in 5 seconds before the pool gives up.
 *
 * @param name the pool's registered name
 * @param factory makes a worker: an actor that answers {@code gen_server} calls, usually a {@code GenServer}; called
 *     for every start and restart, it must return a new actor each time
 * @param size how many workers run
 * @param strategy how a request's worker is chosen
 * @param workerCapacity how many requests a worker holds at once
 * @param maxWaiting how many requests may wait for a worker; past it a request is refused with {@code pool_full}
 * @param maxRestarts restarts of workers allowed within {@code restartPeriod}; one more stops the pool
 * @param restartPeriod the window of {@code maxRestarts}
 */
public record PoolSpec(String name, Supplier<? extends Actor> factory, int size, PoolStrategy strategy,
                       int workerCapacity, int maxWaiting, int maxRestarts, Duration restartPeriod) {
    public PoolSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(restartPeriod, "restartPeriod");
        positive("size", size);
        positive("workerCapacity", workerCapacity);
        if (maxWaiting < 0 || maxRestarts < 0) {
            throw new IllegalArgumentException("maxWaiting and maxRestarts must not be negative: " + maxWaiting + ", "
                    + maxRestarts);
        }
        if (restartPeriod.isNegative() || restartPeriod.isZero()) {
            throw new IllegalArgumentException("restartPeriod must be positive: " + restartPeriod);
        }
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1: " + value);
        }
    }

    /** This spec with {@code workers} workers. */
    public PoolSpec size(int workers) {
        return new PoolSpec(name, factory, workers, strategy, workerCapacity, maxWaiting, maxRestarts, restartPeriod);
    }

    /** This spec with another strategy. */
    public PoolSpec strategy(PoolStrategy how) {
        return new PoolSpec(name, factory, size, how, workerCapacity, maxWaiting, maxRestarts, restartPeriod);
    }

    /** This spec with workers that hold up to {@code requests} requests at once. */
    public PoolSpec workerCapacity(int requests) {
        return new PoolSpec(name, factory, size, strategy, requests, maxWaiting, maxRestarts, restartPeriod);
    }

    /** This spec with at most {@code requests} requests waiting for a worker (0: refuse when all are busy). */
    public PoolSpec maxWaiting(int requests) {
        return new PoolSpec(name, factory, size, strategy, workerCapacity, requests, maxRestarts, restartPeriod);
    }

    /** This spec with at most {@code restarts} worker restarts within {@code period}. */
    public PoolSpec restartIntensity(int restarts, Duration period) {
        return new PoolSpec(name, factory, size, strategy, workerCapacity, maxWaiting, restarts, period);
    }
}
