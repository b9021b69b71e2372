package io.ergon.net.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erlang's {@code net_ticktime} for one node: a daemon thread that calls {@link Tickable#tick()} on every connection
 * each quarter of the tick time, so that each sends a tick when it has been quiet and closes when the peer has been
 * silent for the whole tick time.
 *
 * <p>It outlives whatever a beat throws, an {@link Error} included (an {@link OutOfMemoryError} while the heap is
 * full): the failure is logged and the next beat comes as usual. Before (issue 19), one such error ended the
 * executor's periodic task without a word, and from then on no connection ticked nor noticed a dead peer.
 */
final class Ticker {
    private static final Logger LOG = LoggerFactory.getLogger(Distribution.class);

    /** What the ticker beats: a connection. */
    interface Tickable {
        /** One quarter of the tick time has passed. */
        void tick();
    }

    private final Supplier<? extends Collection<? extends Tickable>> targets;
    private final ScheduledThreadPoolExecutor executor;

    /**
     * @param node names the thread
     * @param targets the connections to beat, asked anew at each beat
     */
    Ticker(String node, Supplier<? extends Collection<? extends Tickable>> targets) {
        this.targets = targets;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon()
                .name("ergon-dist-ticker-" + node).unstarted(r));
    }

    void start(Duration netTickTime) {
        long quarter = netTickTime.toNanos() / 4;
        executor.scheduleAtFixedRate(this::beat, quarter, quarter, TimeUnit.NANOSECONDS);
    }

    void stop() {
        executor.shutdownNow();
    }

    /**
     * One beat. Never throws: a periodic task that throws is never run again, so everything is caught here, and
     * the log call itself too (it may fail for want of memory as well).
     */
    void beat() {
        try {
            for (Tickable t : targets.get()) {
                try {
                    t.tick();
                } catch (Throwable e) {
                    log("ticking " + t + " failed", e);
                }
            }
        } catch (Throwable e) {
            log("a tick of the connections failed", e);
        }
    }

    private static void log(String what, Throwable e) {
        try {
            LOG.error("{}; the ticker goes on", what, e);
        } catch (Throwable ignored) {
            // nothing left to report it with; the next beat comes anyway
        }
    }
}
