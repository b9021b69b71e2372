package io.ergon.io.internal;

/**
 * What a stream read for its owner delivers, once it has bytes: packets cut by its decoder, each sent as the
 * owner's {@link Demand} allows and under the demand's lock, in stream order, then the end of the stream or its
 * failure, once. {@link StreamReader} (a program's output) and {@link PolledStream} (a socket) read differently and
 * deliver alike. Used by one thread at a time (its stream's reader, or whoever holds its read lock), except
 * {@link #buffered()}.
 */
final class Deliveries {
    /** What one {@link #next} did. */
    enum Step { DELIVERED, NOT_ACTIVE, NEED_BYTES, ENDED }

    private final PacketDecoder decoder;
    private final Demand demand;
    private final StreamReader.Events events;
    private final boolean deliverRest;
    private boolean ended;
    private volatile int buffered;

    /**
     * Deliveries of what {@code decoder} cuts to {@code events} as {@code demand} allows. At the end of the stream an
     * unfinished packet is dropped, as a socket's is in Erlang, or delivered if {@code deliverRest}.
     */
    Deliveries(PacketDecoder decoder, Demand demand, StreamReader.Events events, boolean deliverRest) {
        this.decoder = decoder;
        this.demand = demand;
        this.events = events;
        this.deliverRest = deliverRest;
    }

    /** Bytes read and not delivered yet (a partial packet, or packets waiting for demand); read from any thread. */
    int buffered() {
        return buffered;
    }

    /** Whether the end or a failure was delivered: nothing more will be. */
    boolean ended() {
        return ended;
    }

    /** Adds bytes read from the stream. */
    void append(byte[] bytes, int offset, int length) {
        decoder.append(bytes, offset, length);
        buffered = decoder.buffered();
    }

    /** The next packet for the owner's own read while passive ({@code length} &gt; 0: exactly that many bytes). */
    byte[] take(int length) {
        byte[] packet = length > 0 ? decoder.next(length) : decoder.next();
        buffered = decoder.buffered();
        return packet;
    }

    /** Delivers one packet if the demand allows, or the end once {@code endOfStream} and no packet is left. */
    Step next(boolean endOfStream) {
        demand.lock();
        try {
            if (!demand.isActive()) {
                return Step.NOT_ACTIVE;
            }
            byte[] packet = decoder.next();
            if (packet == null && endOfStream && deliverRest) {
                packet = decoder.rest();
            }
            buffered = decoder.buffered();
            if (packet != null) {
                events.data(packet);
                if (demand.consume()) {
                    events.passive();
                }
                return Step.DELIVERED;
            }
            if (endOfStream) {
                ended = true;
                events.closed();
                return Step.ENDED;
            }
            return Step.NEED_BYTES;
        } finally {
            demand.unlock();
        }
    }

    /** Delivers a failure and the end, unless the end was delivered already. */
    void fail(Object reason) {
        demand.lock();
        try {
            if (!ended) {
                ended = true;
                events.error(reason);
                events.closed();
            }
        } finally {
            demand.unlock();
        }
    }
}
