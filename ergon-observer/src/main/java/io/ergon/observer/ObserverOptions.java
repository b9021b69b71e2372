package io.ergon.observer;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How a web observer runs. {@link #defaults()}: loopback only, a free port, read-only, a sample every 2 s.
 *
 * @param bind the address the HTTP server listens on (default: loopback, so only this machine can open it)
 * @param port the HTTP port, 0 for any free one
 * @param allowActions whether the page may kill processes and restart children (default: no; refused with 403)
 * @param interval the time between samples of the cluster
 * @param timeout the limit of each rpc call the observer makes
 * @param scanLimit at most this many processes are read per node and sample
 */
public record ObserverOptions(InetAddress bind, int port, boolean allowActions, Duration interval, Duration timeout,
                              int scanLimit) {
    public ObserverOptions {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (port < 0 || port > 65535 || interval.isNegative() || interval.isZero() || timeout.isNegative()
                || timeout.isZero() || scanLimit < 1) {
            throw new IllegalArgumentException("port 0-65535, a positive interval, timeout and scan limit: " + port
                    + ", " + interval + ", " + timeout + ", " + scanLimit);
        }
    }

    /** Loopback, any free port, read-only, every 2 s, rpc calls limited to 5 s, up to 5000 processes a node. */
    public static ObserverOptions defaults() {
        return new ObserverOptions(InetAddress.getLoopbackAddress(), 0, false, Duration.ofSeconds(2),
                Duration.ofSeconds(5), 5000);
    }

    public ObserverOptions bind(InetAddress address) {
        return new ObserverOptions(address, port, allowActions, interval, timeout, scanLimit);
    }

    public ObserverOptions port(int p) {
        return new ObserverOptions(bind, p, allowActions, interval, timeout, scanLimit);
    }

    public ObserverOptions allowActions(boolean allow) {
        return new ObserverOptions(bind, port, allow, interval, timeout, scanLimit);
    }

    public ObserverOptions interval(Duration every) {
        return new ObserverOptions(bind, port, allowActions, every, timeout, scanLimit);
    }

    public ObserverOptions timeout(Duration limit) {
        return new ObserverOptions(bind, port, allowActions, interval, limit, scanLimit);
    }

    public ObserverOptions scanLimit(int processes) {
        return new ObserverOptions(bind, port, allowActions, interval, timeout, processes);
    }
}
