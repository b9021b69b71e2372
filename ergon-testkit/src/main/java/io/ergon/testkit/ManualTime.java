package io.ergon.testkit;

import io.ergon.node.NodeClock;
import io.ergon.node.NodeOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that stands still until the test moves it on: timers ({@code sendAfter}, GenServer and GenStatem
 * timeouts), processes' receive and call timeouts, and supervisors' restart windows on a node that runs by it fire
 * only when {@link #advance} passes their deadline, so a test of a five-minute timeout takes milliseconds.
 *
 * <pre>{@code
 * ManualTime time = ManualTime.create();
 * try (Node node = Node.start("t", time.on(NodeOptions.defaults()))) {
 *     ...                                 // a GenServer with a 5-minute idle timeout
 *     time.advance(Duration.ofMinutes(5)); // the timeout fires now
 * }
 * }</pre>
 *
 * <p>How a jump runs. {@link #advance} moves the clock to its end at once; then, on the calling thread and before it
 * returns, each node on this clock fires its timers due by then in deadline order and ends the receives that timed
 * out. What those messages cause happens on the node's own threads afterwards, from the new time: a timer that a
 * handler sets in reply is due from the end of the jump, not from its middle. Expect its effects with a
 * {@link TestProbe}, whose waits run in real time.
 *
 * <p>Real time still governs a mailbox's (and so a {@link TestProbe}'s) waits and calls from the test's thread, the
 * distribution's ticks and handshakes, and shutdown. One clock may serve several nodes.
 */
public final class ManualTime implements NodeClock {
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile long now;

    private ManualTime() {
    }

    /** A clock at an arbitrary origin that moves only when told. */
    public static ManualTime create() {
        return new ManualTime();
    }

    /** {@code options} with this clock. */
    public NodeOptions on(NodeOptions options) {
        return options.clock(this);
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /** How far the clock has been moved since it was created. */
    public Duration elapsed() {
        return Duration.ofNanos(now);
    }

    /**
     * Moves the clock on by {@code amount} and, before returning, has every node on it fire what fell due (see the
     * class comment).
     *
     * @throws IllegalArgumentException for a negative amount: time does not go back
     */
    public synchronized void advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + amount);
        }
        now += amount.toNanos();
        for (Runnable moved : listeners) {
            moved.run();
        }
    }

    /**
     * Moves the clock on by {@code amount}, then checks that none of {@code probes} receives a message within
     * {@code settle} of real time (Pekko's {@code expectNoMessageFor}).
     */
    public void expectNoMessageFor(Duration amount, Duration settle, TestProbe... probes) {
        advance(amount);
        for (TestProbe probe : probes) {
            probe.expectNoMessage(settle);
        }
    }

    @Override
    public AutoCloseable whenAdvanced(Runnable moved) {
        Objects.requireNonNull(moved, "moved");
        listeners.add(moved);
        return () -> listeners.remove(moved);
    }

    @Override
    public String toString() {
        return "ManualTime[" + elapsed() + "]";
    }
}
