package io.ergon.net.internal;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many incoming handshakes may be under way at once: at most {@link #PER_ADDRESS} from one peer address and
 * {@link #TOTAL} in all. One that would pass either is refused at once (its socket closed), so a peer that opens
 * handshakes faster than the setup time ends them cannot hold thousands of sockets and threads (issue 19: 2,000 of
 * 2,000 slow handshakes stayed open). A whole cluster connecting at start-up stays far below both.
 */
final class PendingHandshakes {
    static final int PER_ADDRESS = 64;
    static final int TOTAL = 1024;

    private final int perAddress;
    private final int total;
    private final AtomicInteger all = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> byAddress = new ConcurrentHashMap<>();

    PendingHandshakes() {
        this(PER_ADDRESS, TOTAL);
    }

    PendingHandshakes(int perAddress, int total) {
        this.perAddress = perAddress;
        this.total = total;
    }

    /** Counts a handshake from {@code address} in, or returns false (counting nothing) if it would pass a bound. */
    boolean tryBegin(InetAddress address) {
        if (all.incrementAndGet() > total) {
            all.decrementAndGet();
            return false;
        }
        AtomicInteger n = byAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (n.incrementAndGet() > perAddress) {
            n.decrementAndGet();
            all.decrementAndGet();
            return false;
        }
        return true;
    }

    /** A handshake counted in by {@link #tryBegin} ended, whatever its outcome. */
    void end(InetAddress address) {
        all.decrementAndGet();
        byAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() == 0 ? null : n);
    }

    /** Handshakes under way now. */
    int pending() {
        return all.get();
    }
}
