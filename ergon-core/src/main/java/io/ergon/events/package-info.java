/**
 * Events, as Ergo has them (and Pekko's {@code EventStream}): a producer process registers a named event
 * ({@link io.ergon.events.Events#register}), publishes to it with the {@link io.ergon.events.EventToken} it got, and
 * any process, on this node or another, subscribes to it. Delivery follows the producer's order; subscribers are
 * monitored; when the producer goes away, each subscriber gets an {@link io.ergon.events.EventDown}. Across nodes,
 * one message per event goes to each node with subscribers, and a relay there hands it out.
 *
 * <p>{@link io.ergon.api.Experimental}: the API and the protocol between nodes' relays may still change in a minor
 * release.
 */
@Experimental
package io.ergon.events;

import io.ergon.api.Experimental;
