/** The pool comparison: one server, an Ergon pool, and Pekko's routers, under the same callers and work. */
package io.ergon.bench.pool;
