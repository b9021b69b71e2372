package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ticker outlives what a beat throws, an {@link Error} above all: an OutOfMemoryError in one connection's tick
 * (issue 19: the heap full of a flood) used to end the executor's periodic task for good, after which no connection
 * ticked or noticed a dead peer.
 */
class TickerTest {
    @Test
    @Timeout(20)
    void theTickerSurvivesAnErrorInATickAndInTheLookUpOfConnections() {
        AtomicInteger ticks = new AtomicInteger();
        AtomicInteger beats = new AtomicInteger();
        Ticker.Tickable failsFirst = () -> {
            if (ticks.incrementAndGet() == 1) {
                throw new OutOfMemoryError("on purpose, in a test: no memory for this tick");
            }
        };
        Ticker.Tickable alwaysFails = () -> {
            throw new IllegalStateException("on purpose, in a test: this connection's tick always fails");
        };
        AtomicInteger healthy = new AtomicInteger();
        Ticker ticker = new Ticker("ticker_test", () -> {
            if (beats.incrementAndGet() == 3) {
                throw new StackOverflowError("on purpose, in a test: the connection table failed");
            }
            return List.of(alwaysFails, failsFirst, healthy::incrementAndGet);
        });
        ticker.start(Duration.ofMillis(40)); // a beat every 10 ms
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ticks.get() >= 10);
            // every beat reached every connection, the failing ones included, except the beat whose look-up failed
            assertThat(healthy.get()).isGreaterThanOrEqualTo(ticks.get() - 1);
            assertThat(beats.get()).isGreaterThanOrEqualTo(11);
        } finally {
            ticker.stop();
        }
    }
}
