package io.ergon.net.internal;

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
 * <p>What it is for: a connection reader's look for input ({@link PollOdds}) costs nothing on a CPU that would
 * otherwise be idle, and takes CPU time from the processes where threads already wait for one. On the 2-core host
 * of 2026-12-03 the figure was 30-45% with other work on the machine, and 75% with two CPU hogs beside it.
 */
final class MachineLoad {
    static final double SATURATED_PERCENT = 50;
    private static final Path PRESSURE = Path.of("/proc/pressure/cpu");
    private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final AtomicLong READ_AT = new AtomicLong(System.nanoTime() - EVERY_NANOS);
    private static volatile boolean saturated;
    private static volatile boolean readable = Files.isReadable(PRESSURE);

    private MachineLoad() {
    }

    /** Whether the CPU pressure was at least {@link #SATURATED_PERCENT} when last read (at most a second ago). */
    static boolean saturated() {
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

    /** The "some" CPU pressure over the last 10 s, in percent, or 0 if it cannot be read. */
    static double pressure() {
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
