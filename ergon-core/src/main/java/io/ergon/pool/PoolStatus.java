package io.ergon.pool;

/**
 * A pool's load at one moment.
 *
 * @param workers how many workers run
 * @param requests requests a worker is handling now
 * @param waiting requests and checkouts waiting for a worker
 * @param checkedOut workers checked out
 */
public record PoolStatus(int workers, int requests, int waiting, int checkedOut) {
}
