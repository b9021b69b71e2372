/**
 * The local workloads of the side-by-side suite on Apache Pekko classic actors, for comparison with Ergon and Erlang;
 * and the events workload on Pekko's {@code EventStream} ({@link io.ergon.bench.pekko.PekkoEventStream}).
 */
package io.ergon.bench.pekko;
