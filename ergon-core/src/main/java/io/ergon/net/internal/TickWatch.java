package io.ergon.net.internal;

/**
 * One connection's side of Erlang's {@code net_ticktime}: the node's ticker asks it every quarter of the tick time
 * whether nothing went out since the last quarter (then a tick frame must) and whether nothing came in for four
 * quarters (then the peer is gone). The reader and the writer each count their own frames.
 *
 * <p>A quarter in which this node's own reader was paused by inbound backpressure ({@link InboundBacklog}) is not
 * silence: the peer's ticks wait in the socket behind the messages it was not allowed to send, so the count starts
 * again. Once the reader reads again, a peer that is really gone is silent for the whole tick time and is found as
 * before (and one that closed its socket is found at once, when the reader reaches the end of the stream).
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
    private long seenPauses;
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

    /**
     * True once nothing came in for {@link #SILENT_QUARTERS} calls in a row while the reader read; ticker only.
     *
     * @param readerPaused whether the reader is paused by inbound backpressure now
     * @param readerPauses how many times it has paused so far (a pause that began and ended within the quarter
     *     counts too)
     */
    boolean silentForTickTime(boolean readerPaused, long readerPauses) {
        long in = framesIn;
        boolean silent = false;
        if (in == seenIn && !readerPaused && readerPauses == seenPauses) {
            silent = ++silentQuarters >= SILENT_QUARTERS;
        } else {
            silentQuarters = 0;
        }
        seenIn = in;
        seenPauses = readerPauses;
        return silent;
    }
}
