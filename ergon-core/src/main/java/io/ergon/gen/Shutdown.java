package io.ergon.gen;

import java.time.Duration;
import java.util.Objects;

/**
 * How a supervisor stops a child (OTP's {@code shutdown} child-spec key). The supervisor monitors the child, then:
 * <ul>
 *   <li>{@link #brutalKill()}: sends {@code kill}; the child cannot trap it and dies at once;</li>
 *   <li>{@link #timeout(Duration)}: sends {@code shutdown} and waits that long for the child to exit, then sends
 *       {@code kill};</li>
 *   <li>{@link #infinity()}: sends {@code shutdown} and waits as long as it takes (the default for supervisors, so a
 *       subtree always stops completely).</li>
 * </ul>
 */
public sealed interface Shutdown {
    /** The default for workers: 5 seconds, as in OTP. */
    Shutdown WORKER_DEFAULT = new Timeout(Duration.ofSeconds(5));

    /** Kill the child at once. */
    static Shutdown brutalKill() {
        return BrutalKill.INSTANCE;
    }

    /** Ask the child to stop, and kill it if it has not stopped after {@code timeout}. */
    static Shutdown timeout(Duration timeout) {
        return new Timeout(timeout);
    }

    /** Ask the child to stop and wait for it without limit. */
    static Shutdown infinity() {
        return Infinity.INSTANCE;
    }

    /** {@code brutal_kill}. */
    enum BrutalKill implements Shutdown {
        INSTANCE;

        @Override
        public String toString() {
            return "brutal_kill";
        }
    }

    /** {@code infinity}. */
    enum Infinity implements Shutdown {
        INSTANCE;

        @Override
        public String toString() {
            return "infinity";
        }
    }

    /**
     * A shutdown timeout (OTP's integer milliseconds).
     *
     * @param duration how long the child has to stop before it is killed; zero or positive
     */
    record Timeout(Duration duration) implements Shutdown {
        public Timeout {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("negative shutdown timeout: " + duration);
            }
        }

        @Override
        public String toString() {
            return duration.toMillis() + " ms";
        }
    }
}
