package io.ergon.concurrent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the machine's CPUs are contended: Linux's CPU pressure ({@code /proc/pressure/cpu}), the share of the last
 * ten seconds in which some runnable thread waited for a CPU, at least {@link #SATURATED_PERCENT}; read at most once
 * a second by whichever thread asks. Where it cannot be read (not Linux, or no pressure information), never.
 *
 * <p>What it is for: a thread that spins or polls for its next piece of work (a connection reader's look for input,
 * an idle carrier's or worker's spin) costs nothing on a CPU that would otherwise be idle, and takes CPU time from
 * the threads that wait for one where the CPUs are contended; there they park at once instead. On the 2-core host
 * of 2026-12-03 the figure was 30-45% with other work on the machine, and 75% with two CPU hogs beside it.
 */
public final class MachineLoad {
    /** The CPU pressure from which the machine counts as contended. */
    public static final double SATURATED_PERCENT = 50;
    private static final Path PRESSURE = Path.of("/proc/pressure/cpu");
    private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final AtomicLong READ_AT = new AtomicLong(System.nanoTime() - EVERY_NANOS);
    private static volatile boolean saturated;
    private static volatile boolean readable = Files.isReadable(PRESSURE);
    private static volatile Boolean assumption;

    private MachineLoad() {
    }

    /**
     * Whether the CPU pressure was at least {@link #SATURATED_PERCENT} when last read (at most a second ago), or what
     * {@link #assume} said.
     */
    public static boolean saturated() {
        Boolean assumed = assumption;
        if (assumed != null) {
            return assumed;
        }
        if (!readable) {
            return false;
        }
        long last = READ_AT.get();
        long now = System.nanoTime();
        if (now - last >= EVERY_NANOS && READ_AT.compareAndSet(last, now)) {
            saturated = pressure() >= SATURATED_PERCENT;
        }
        return saturated;
    }

    /**
     * Makes {@link #saturated} answer {@code saturated} whatever the machine's load, or read it again after null: for
     * tests of what depends on it.
     */
    public static void assume(Boolean saturated) {
        assumption = saturated;
    }

    /** The "some" CPU pressure over the last 10 s, in percent, or 0 if it cannot be read. */
    public static double pressure() {
        try {
            String s = Files.readString(PRESSURE);
            int at = s.indexOf("avg10=") + "avg10=".length();
            return Double.parseDouble(s.substring(at, s.indexOf(' ', at)));
        } catch (IOException | RuntimeException e) {
            readable = false;
            return 0;
        }
    }
}
