package io.ergon.net.internal;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Warnings about refused incoming handshakes, at most one per peer address per {@link #WINDOW_NANOS}: the first
 * refusal of a window is logged with its reason, the others are counted, and the next line says how many there were
 * ("refused 2345 more handshakes from 127.0.0.1 in the last 10 s, the last: ..."). A peer that opens thousands of
 * handshakes a second wrote a warning for each (2-3k lines/s, issue 19); Erlang rate-limits the same messages.
 * Addresses are forgotten once their window has passed with nothing to report, so the map stays as small as the set
 * of peers refused in the last window.
 */
final class RefusalLog {
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final String node;
    private final LongSupplier clock;
    private final Map<InetAddress, Window> windows = new HashMap<>();

    private static final class Window {
        final long start;
        long suppressed;
        String lastReason;

        Window(long start) {
            this.start = start;
        }
    }

    RefusalLog(Logger log, String node) {
        this(log, node, System::nanoTime);
    }

    RefusalLog(Logger log, String node, LongSupplier clock) {
        this.log = log;
        this.node = node;
        this.clock = clock;
    }

    /**
     * A handshake from {@code peer} (its address and port, for the message) was refused for {@code reason}. Under
     * the lock: refusals are few next to the handshakes, and a flood of them is what this class is for.
     */
    synchronized void refused(InetAddress address, Object peer, String reason) {
        long now = clock.getAsLong();
        Window w = windows.get(address);
        if (w != null && now - w.start < WINDOW_NANOS) {
            w.suppressed++;
            w.lastReason = reason;
            return;
        }
        if (w != null && w.suppressed > 0) {
            log.warn("{}: refused {} more handshakes from {} in the last {} s, the last: {}", node, w.suppressed,
                    address.getHostAddress(), TimeUnit.NANOSECONDS.toSeconds(WINDOW_NANOS), w.lastReason);
        }
        windows.put(address, new Window(now));
        log.warn("{}: refused a connection from {}: {}", node, peer, reason);
        if (windows.size() > 1024) {
            windows.values().removeIf(x -> now - x.start >= WINDOW_NANOS && x.suppressed == 0);
        }
    }
}
