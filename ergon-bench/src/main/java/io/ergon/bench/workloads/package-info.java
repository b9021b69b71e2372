/**
 * The local workloads of the side-by-side suite (ping-pong, streams, spawn, calls, idle), their sizes, and Ergon's
 * side of them; each run prints result lines that {@code io.ergon.bench.report} turns into tables.
 */
package io.ergon.bench.workloads;
