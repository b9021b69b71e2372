/**
 * Micrometer meters for an Ergon node: {@link io.ergon.micrometer.ErgonMetrics}, a {@code MeterBinder} over
 * {@code Node.stats()}, the node's largest mailboxes and its events (call timings, supervisor restarts). Its meter
 * names and tags are listed there and in the README's "Metrics" section. Stable, except where a type says
 * otherwise.
 */
package io.ergon.micrometer;
