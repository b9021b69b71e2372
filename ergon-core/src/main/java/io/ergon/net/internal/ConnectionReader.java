package io.ergon.net.internal;

import io.ergon.etf.EtfDecoder;
import io.ergon.node.spi.NodeThreads;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;

/**
 * A connection's reader loop: reads frames ({@link FrameReader}) and carries them out ({@link Control#dispatch})
 * until the connection closes; a protocol error or a failed read closes it. It runs on a thread that must never
 * wait on a process's behalf, and hands the processes its messages woke to the node's workers in bursts.
 *
 * <p>Before each frame it asks the connection's inbound backlog whether local processes have left too much of what
 * it delivered untaken ({@link InboundBacklog.Account#mustPause()}); if so it hands over its wake-ups and stops
 * reading until they have taken enough, so that TCP holds the peer back instead of the heap growing.
 */
final class ConnectionReader implements Runnable {
    /**
     * Frames handled at most before the processes they woke are handed over (they are also handed over before every
     * read that may block). Holding them back lets one wake-up cover a burst: before it (c2036a6), waking the sink for
     * nearly every message of Erlang's 1M-message stream took ~55% of the receiving node's profile in parking and
     * unparking workers. 16 bounds how long a woken process waits behind the burst; it was not compared with other
     * values.
     */
    private static final int WAKE_BATCH = 16;
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Connection c;
    private final Distribution dist;
    /** The connection's frames out when the socket last ran dry. */
    private long outSeen;
    /** Whether looking for input before blocking has paid lately. */
    private final PollOdds pollOdds = new PollOdds();

    ConnectionReader(Connection c, Distribution dist) {
        this.c = c;
        this.dist = dist;
    }

    @Override
    public void run() {
        NodeThreads threads = dist.node().threads();
        threads.markNonBlocking();
        InboundBacklog.Account backlog = c.inboundBacklog();
        // processes woken by this connection's messages are handed over in bursts: before each read from the
        // socket (which may block) and every WAKE_BATCH frames
        try (NodeThreads.WakeBatch wakes = threads.deferWakes()) {
            PeerTraffic traffic = c.traffic();
            InputStream socketIn = c.socket().getInputStream();
            // the stream itself over TCP; over TLS, it also sees records arrive on the TCP socket beneath
            InputStream arrivals = c.channel().arrivals(socketIn);
            InputStream raw = new FilterInputStream(socketIn) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (super.available() > 0
                            || answersExpected() && dist.inputPoll().awaitInput(arrivals, pollOdds, wakes::flush)) {
                        wakes.flush();
                    } else {
                        backlog.publish(); // counted exactly while the reader waits
                        wakes.flushBeforeBlocking(); // the read will wait: what it woke may have this carrier
                    }
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        traffic.bytesIn(n);
                    }
                    return n;
                }
            };
            DataInputStream in = new DataInputStream(new BufferedInputStream(raw, BUFFER_SIZE));
            EtfDecoder decoder = new EtfDecoder(dist.decodeLimits(), dist.records());
            FrameReader reader = new FrameReader(in, decoder, dist.decodeLimits().maxBytes());
            int sinceFlush = 0;
            while (c.state() == Connection.State.UP) {
                if (backlog.checkDue() && backlog.mustPause()) {
                    sinceFlush = 0;
                    wakes.flushBeforeBlocking(); // the processes that are to take the backlog must run
                    backlog.awaitRoom(() -> c.state() == Connection.State.UP);
                    continue;
                }
                FrameReader.Message m = reader.next();
                c.ticks().frameIn();
                if (m != null) {
                    traffic.messageIn();
                    Control.dispatch(dist.node(), c, m);
                }
                if (++sinceFlush == WAKE_BATCH) {
                    sinceFlush = 0;
                    wakes.flush();
                }
            }
        } catch (EOFException e) {
            c.close("the peer closed the connection");
        } catch (FrameReader.ProtocolException e) {
            c.fail("protocol error: " + e.getMessage());
        } catch (SocketException e) {
            c.close(c.state() == Connection.State.CLOSED ? "closed" : "socket error: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            c.fail("read failed: " + e);
        } catch (Error e) {
            // an OutOfMemoryError, say: the connection must not stay up without a reader until net_ticktime
            c.fail("the reader failed: " + e);
            throw e;
        }
    }

    /**
     * Whether this node wrote to the peer since the socket last ran dry: the two nodes converse (calls, or requests
     * and replies), and the next frame is likely to come within microseconds, so it is worth looking for it
     * ({@link InputPoll}). A one-way stream from the peer writes nothing back (ticks aside): its reader blocks when
     * it has read everything, as polling there cost an Erlang→Ergon stream a fifth (850-940k → 670-720k msg/s).
     */
    private boolean answersExpected() {
        long out = c.ticks().framesOut();
        boolean conversing = out != outSeen;
        outSeen = out;
        return conversing;
    }
}
