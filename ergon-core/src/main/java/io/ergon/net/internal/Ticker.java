package io.ergon.net.internal;

import io.ergon.term.Atom;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erlang's {@code net_ticktime} for one node: a daemon thread that calls {@link Connection#tick()} on every
 * connection each quarter of the tick time, so that each sends a tick when it has been quiet and closes when the
 * peer has been silent for the whole tick time.
 */
final class Ticker {
    private static final Logger LOG = LoggerFactory.getLogger(Distribution.class);

    private final ConnectionTable connections;
    private final ScheduledThreadPoolExecutor executor;

    Ticker(Atom node, ConnectionTable connections) {
        this.connections = connections;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon()
                .name("ergon-dist-ticker-" + node.name()).unstarted(r));
    }

    void start(Duration netTickTime) {
        long quarter = netTickTime.toNanos() / 4;
        executor.scheduleAtFixedRate(this::tickAll, quarter, quarter, TimeUnit.NANOSECONDS);
    }

    void stop() {
        executor.shutdownNow();
    }

    private void tickAll() {
        for (Connection c : connections.all()) {
            try {
                c.tick();
            } catch (RuntimeException e) {
                LOG.warn("ticking {} failed", c, e);
            }
        }
    }
}
