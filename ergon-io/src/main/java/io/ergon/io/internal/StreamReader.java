package io.ergon.io.internal;

import io.ergon.io.IoError;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a byte stream that no poller can watch (a program's stdout) into packets for its owner, only as far as the
 * owner's {@link Demand} allows: {@link #run()} is the reader's loop, on a virtual thread of its own, and reads
 * nothing while the owner is passive, so the bytes it holds are at most one read and one unfinished packet.
 * {@link #buffered()} and {@link #stop()} may be called from any thread.
 */
public final class StreamReader {
    /** What the loop tells the owner; each is called under the demand's lock, in stream order. */
    public interface Events {
        /** One packet. */
        void data(byte[] packet);

        /** An {@code {active, N}} count ran out. */
        void passive();

        /** The stream ended (the peer closed it, or it failed after {@link #error}). */
        void closed();

        /** Reading failed with {@code reason} (an atom, or a TLS alert's tuple). */
        void error(Object reason);
    }

    /** The first read of each turn: small, so that a reader waiting on an idle stream holds little. */
    private static final int FIRST_READ = 128;
    /** The most one turn reads beyond the first read. */
    private static final int MAX_READ = 64 * 1024;

    private final InputStream in;
    private final Demand demand;
    private final Deliveries deliveries;
    private byte[] firstRead;
    private boolean endOfStream;
    private volatile boolean stopped;

    /**
     * A reader of {@code in} that cuts it with {@code decoder} and delivers to {@code events} as {@code demand}
     * allows. At the end of the stream an unfinished packet is dropped, as a socket's is in Erlang, or delivered if
     * {@code deliverRest} (a program's last line without its newline, as a port's {@code noeol} line).
     */
    public StreamReader(InputStream in, PacketDecoder decoder, Demand demand, Events events, boolean deliverRest) {
        this.in = in;
        this.demand = demand;
        this.deliveries = new Deliveries(decoder, demand, events, deliverRest);
    }

    /** The bytes read and not delivered yet (a partial packet, or packets waiting for demand). */
    public int buffered() {
        return deliveries.buffered();
    }

    /** Ends the loop without telling the owner (its owner closed the stream); close the stream after this. */
    public void stop() {
        stopped = true;
        demand.close();
    }

    /**
     * The reader's loop: returns when the stream ended, failed (the owner told) or was {@link #stop()}ped.
     *
     * @return true if it ended at the end of the stream, after {@link Events#closed()}
     */
    public boolean run() {
        try {
            while (demand.awaitActive()) {
                switch (deliveries.next(endOfStream)) {
                    case DELIVERED, NOT_ACTIVE -> { }
                    case ENDED -> {
                        return true;
                    }
                    case NEED_BYTES -> fill();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            if (!stopped) {
                deliveries.fail(IoError.reasonOf(e));
            }
        } catch (IoError e) {
            deliveries.fail(e.reason());
        }
        return false;
    }

    /** Reads once (blocking), and then what else is there without blocking, up to {@link #MAX_READ}. */
    private void fill() throws IOException {
        if (firstRead == null) {
            firstRead = new byte[FIRST_READ];
        }
        int n = in.read(firstRead);
        if (n < 0) {
            endOfStream = true;
            return;
        }
        deliveries.append(firstRead, 0, n);
        if (n == FIRST_READ) {
            int more = Math.min(in.available(), MAX_READ);
            if (more > 0) {
                byte[] rest = new byte[more];
                int m = in.read(rest);
                if (m > 0) {
                    deliveries.append(rest, 0, m);
                }
            }
        }
    }
}
