package io.ergon.node.internal;

/**
 * The caller-runs heuristic: a process that allows it ({@code Actor.callerRuns}) and that a caller's request has
 * just made runnable runs its activation on the caller's thread ({@link Scheduler#runHere}), so a call gets its
 * reply without a thread switch. The permission ends for good once the process waits in a receive (a caller running
 * it would wait with it, deaf to its own signals), or once more than {@link #LONG_RUNS_ALLOWED} runs out of
 * {@link #RUN_WINDOW} in a row took longer than {@link #LONG_RUN_NANOS}; not for one long run, since a pause of the
 * whole JVM or of its host can make any run long.
 *
 * <p>Stateless: the permission and the racy counts (a heuristic) are fields of the process.
 */
final class CallerRuns {
    static final long LONG_RUN_NANOS = 1_000_000;
    static final int LONG_RUNS_ALLOWED = 2;
    static final int RUN_WINDOW = 1024;

    private CallerRuns() {
    }

    /**
     * Runs {@code p}'s activation on the current thread if it may; the nanoseconds the run took, or -1 if it did
     * not run.
     */
    static long runOnCallerThread(ProcessCore p) {
        if (!p.callerRuns) {
            return -1;
        }
        long start = System.nanoTime();
        if (!Scheduler.runHere(p)) {
            return -1;
        }
        long took = System.nanoTime() - start;
        if (took > LONG_RUN_NANOS && ++p.longCallerRuns > LONG_RUNS_ALLOWED) {
            p.callerRuns = false;
        }
        if (++p.callerRunCount >= RUN_WINDOW) {
            p.callerRunCount = 0;
            p.longCallerRuns = 0;
        }
        return took;
    }

    /** {@code p} is about to wait in a receive: no caller runs it from now on. */
    static void onWait(ProcessCore p) {
        if (p.callerRuns) {
            p.callerRuns = false; // read first: the volatile write only when it changes
        }
    }
}
