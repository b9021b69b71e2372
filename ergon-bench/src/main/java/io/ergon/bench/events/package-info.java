/**
 * Publish to many subscribers: Ergon's events ({@code io.ergon.events}) beside Pekko's {@code EventStream}, in one
 * workload of the same shape on both ({@link io.ergon.bench.events.EventsBench}); not part of {@code bench/run.sh}.
 */
package io.ergon.bench.events;
