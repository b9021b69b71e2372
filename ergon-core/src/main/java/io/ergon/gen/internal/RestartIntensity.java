package io.ergon.gen.internal;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A supervisor's (or a pool's) restart budget: at most {@code intensity} restarts within any {@code period}. Follows
 * supervisor.erl's {@code add_restart/1}: each restart is recorded, those older than the period are forgotten, and
 * the budget is exceeded when more than {@code intensity} remain, so the supervisor gives up on restart number
 * intensity+1. Time is the node's clock's ({@link io.ergon.node.NodeClock}, so a test may move it on). OTP counts in whole seconds of monotonic time; this counts in nanoseconds, so a restart exactly
 * {@code period} old has expired here where OTP may still count it.
 */
public final class RestartIntensity {
    private final int intensity;
    private final long periodNanos;
    private final ArrayDeque<Long> restarts = new ArrayDeque<>();

    public RestartIntensity(int intensity, Duration period) {
        this.intensity = intensity;
        this.periodNanos = period.toNanos();
    }

    /**
     * Records a restart at {@code now} (the node clock's {@code nanoTime()}); false if that exceeds the budget (the
     * supervisor must shut down).
     */
    public boolean recordRestart(long now) {
        while (!restarts.isEmpty() && now - restarts.peekFirst() >= periodNanos) {
            restarts.pollFirst();
        }
        restarts.addLast(now);
        return restarts.size() <= intensity;
    }
}
