/**
 * The local workloads of the side-by-side suite on Apache Pekko classic actors, for comparison with Ergon and Erlang.
 */
package io.ergon.bench.pekko;
