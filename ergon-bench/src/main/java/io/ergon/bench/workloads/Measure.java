package io.ergon.bench.workloads;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Timing, waiting and heap helpers the workloads share. */
public final class Measure {
    /** The longest any single workload run may take before it counts as broken. */
    public static final long TIMEOUT_SECONDS = 300;

    private Measure() {
    }

    /** Events per second between two {@link System#nanoTime()} readings. */
    public static double rate(long events, long t0, long t1) {
        return events / ((t1 - t0) / 1e9);
    }

    /** Waits for the latch; throws if the workload did not finish in {@link #TIMEOUT_SECONDS}. */
    public static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(what + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
    }

    /** Fails the run unless the count is what the workload must have produced. */
    public static void check(String what, long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
        }
    }

    /** Heap in use after full collections, once two in a row agree within 1 MB (at most 10 collections). */
    public static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(50);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 1 << 20) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
