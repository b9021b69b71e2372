package io.ergon.node.internal;

import io.ergon.node.spi.NodeThreads;

/** {@link NodeThreads} over a node's {@link Scheduler} and {@link SystemThreads}. */
final class SchedulerThreads implements NodeThreads {
    private final NodeCore core;

    SchedulerThreads(NodeCore core) {
        this.core = core;
    }

    @Override
    public Thread startSystemThread(String name, Runnable body) {
        return core.startSystemThread(name, body);
    }

    @Override
    public void markNonBlocking() {
        SystemThreads.markNonBlocking();
    }

    @Override
    public boolean isNonBlocking() {
        return SystemThreads.isNonBlocking();
    }

    @Override
    public void unparkElsewhere(Thread t) {
        Scheduler.unparkElsewhere(t);
    }

    @Override
    public Blocking beginBlocking() {
        BlockingToken token = Scheduler.blockingBegin();
        return () -> Scheduler.blockingEnd(token);
    }

    @Override
    public WakeBatch deferWakes() {
        DeferredWakes wakes = Scheduler.deferWakes();
        return new WakeBatch() {
            @Override
            public void flush() {
                wakes.flush();
            }

            @Override
            public void flushBeforeBlocking() {
                wakes.flushBeforeBlocking();
            }

            @Override
            public void close() {
                wakes.close();
            }
        };
    }
}
