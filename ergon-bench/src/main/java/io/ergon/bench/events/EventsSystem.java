package io.ergon.bench.events;

/**
 * A runtime's publish/subscribe under test: one producer publishes {@code events} integers (1, 2, ...) from inside a
 * process of its own; each of {@code subscribers} processes checks that they come in that order and counts them. A
 * run is timed from the producer's start until every subscriber has taken the last event.
 */
public interface EventsSystem extends AutoCloseable {
    /**
     * Runs the workload once.
     *
     * @return deliveries per second (events × subscribers / time)
     * @throws IllegalStateException if a subscriber missed an event or got one out of order
     */
    double publish(int subscribers, int events) throws Exception;

    @Override
    void close() throws Exception;
}
