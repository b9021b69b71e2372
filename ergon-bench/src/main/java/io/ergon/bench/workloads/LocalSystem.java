package io.ergon.bench.workloads;

/**
 * An actor runtime under test, running the suite's local workloads exactly as {@link Workload} defines them (and as
 * {@code bench/erlang/local.escript} does for Erlang). Each method runs a workload once, returns its figure, and
 * throws {@link IllegalStateException} when the workload's own count check fails, so a broken run never yields a
 * figure.
 */
public interface LocalSystem extends AutoCloseable {
    /** {@code pairs} ping/pong pairs run {@code roundTrips} round trips each, all at once; round trips per second. */
    double pingPong(int pairs, int roundTrips) throws Exception;

    /**
     * {@code senders} processes send {@code total} small messages (integers) between them to one receiver, timed
     * until the receiver has taken the last; messages per second. With one sender the receiver checks the order.
     */
    double stream(int senders, int total) throws Exception;

    /** Spawns {@code count} processes that wait for a message, from one thread, on a fresh runtime. */
    SpawnFigures spawnIdle(int count) throws Exception;

    /** {@code clients} client processes share {@code total} request/reply round trips to one echo server; per second. */
    double calls(int clients, int total) throws Exception;

    /** What {@link #spawnIdle} measured: spawns per second, and heap bytes per idle process after GC. */
    record SpawnFigures(double perSecond, double bytesPerProcess) {
    }

    @Override
    void close() throws Exception;
}
