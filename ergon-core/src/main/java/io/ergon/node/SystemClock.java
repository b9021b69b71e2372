package io.ergon.node;

/** {@link NodeClock#system()}. */
enum SystemClock implements NodeClock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
