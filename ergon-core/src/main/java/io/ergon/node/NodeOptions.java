package io.ergon.node;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node runs. Immutable: each {@code with}-style method returns a changed copy; {@link #defaults()} is the safe
 * starting point.
 *
 * @param parallelism how many processes run at once (worker threads); defaults to the number of processors
 * @param shutdownTimeout how long {@link Node#close()} waits for processes to terminate
 * @param cookie the distribution cookie, or null to read {@code ~/.erlang.cookie} when distribution starts
 */
public record NodeOptions(int parallelism, Duration shutdownTimeout, String cookie) {
    public NodeOptions {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("negative shutdown timeout: " + shutdownTimeout);
        }
    }

    /** One worker per processor, 10 seconds to shut down, the cookie from {@code ~/.erlang.cookie}. */
    public static NodeOptions defaults() {
        return new NodeOptions(Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(10), null);
    }

    public NodeOptions parallelism(int workers) {
        return new NodeOptions(workers, shutdownTimeout, cookie);
    }

    public NodeOptions shutdownTimeout(Duration timeout) {
        return new NodeOptions(parallelism, timeout, cookie);
    }

    public NodeOptions cookie(String secret) {
        return new NodeOptions(parallelism, shutdownTimeout, Objects.requireNonNull(secret, "cookie"));
    }

    /** Hides the cookie. */
    @Override
    public String toString() {
        return "NodeOptions[parallelism=" + parallelism + ", shutdownTimeout=" + shutdownTimeout + ", cookie="
                + (cookie == null ? "from ~/.erlang.cookie" : "***") + "]";
    }
}
