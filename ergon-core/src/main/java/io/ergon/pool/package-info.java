/**
 * Worker pools: {@link io.ergon.pool.Pool}, a supervised set of workers behind one name that shares out the requests
 * it is sent, holds callers back when every worker is busy, and lends workers out in poolboy's style.
 */
package io.ergon.pool;
