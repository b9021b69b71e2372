package io.ergon.net.internal;

/**
 * One connection's side of Erlang's {@code net_ticktime}: the node's ticker asks it every quarter of the tick time
 * whether nothing went out since the last quarter (then a tick frame must) and whether nothing came in for four
 * quarters (then the peer is gone). The reader and the writer each count their own frames.
 */
final class TickWatch {
    /** Quarters of silence after which the peer counts as gone: the whole net_ticktime. */
    static final int SILENT_QUARTERS = 4;

    // each written by one thread (the reader, the writer), read by the ticker
    private volatile long framesIn;
    private volatile long framesOut;
    // the ticker's own
    private long seenIn;
    private long seenOut;
    private int silentQuarters;

    /** The reader read a frame (a tick too); reader thread only. */
    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void frameIn() {
        framesIn++;
    }

    /** The writer wrote a frame; writer thread only. */
    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void frameOut() {
        framesOut++;
    }

    /** Frames written so far; any thread. */
    long framesOut() {
        return framesOut;
    }

    /** True if nothing went out since the last call; ticker only. */
    boolean nothingSentSinceLastQuarter() {
        long out = framesOut;
        boolean quiet = out == seenOut;
        seenOut = out;
        return quiet;
    }

    /** True once nothing came in for {@link #SILENT_QUARTERS} calls in a row; ticker only. */
    boolean silentForTickTime() {
        long in = framesIn;
        boolean silent = false;
        if (in == seenIn) {
            silent = ++silentQuarters >= SILENT_QUARTERS;
        } else {
            silentQuarters = 0;
        }
        seenIn = in;
        return silent;
    }
}
