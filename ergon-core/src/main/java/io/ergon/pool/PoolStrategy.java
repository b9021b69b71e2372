package io.ergon.pool;

/** How a {@link Pool} picks the worker for a request, among those with room for one more. */
public enum PoolStrategy {
    /** Each worker in turn, skipping those that are full or checked out. */
    ROUND_ROBIN,
    /** The worker with the fewest requests in hand (ties go in turn); differs from round-robin when a worker may
     * hold more than one request ({@link PoolSpec#workerCapacity(int)}). */
    LEAST_BUSY
}
