package io.ergon.net.internal;

import io.ergon.node.NodeStats;
import io.ergon.term.Atom;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * The traffic with one peer, kept across its connections (a reconnection goes on counting where the last one
 * stopped), for {@code NodeStats.Connection}. Made when a connection to the peer first comes up (after the handshake,
 * so an unauthenticated peer makes none), kept by the {@link ConnectionTable}.
 *
 * <p>The bytes and messages in are counted by the connection's reader, out by its writer: an atomic add per socket
 * read or write and per frame, which costs little beside the frame's own decoding or encoding and system call, and
 * stays right while a replaced connection's reader finishes its last frame beside the new one's. Busy waits come from
 * any sender. A snapshot reads each count once; no count ever goes back.
 */
final class PeerTraffic {
    private static final VarHandle BYTES_IN;
    private static final VarHandle BYTES_OUT;
    private static final VarHandle MESSAGES_IN;
    private static final VarHandle MESSAGES_OUT;

    static {
        MethodHandles.Lookup l = MethodHandles.lookup();
        try {
            BYTES_IN = l.findVarHandle(PeerTraffic.class, "bytesIn", long.class);
            BYTES_OUT = l.findVarHandle(PeerTraffic.class, "bytesOut", long.class);
            MESSAGES_IN = l.findVarHandle(PeerTraffic.class, "messagesIn", long.class);
            MESSAGES_OUT = l.findVarHandle(PeerTraffic.class, "messagesOut", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Atom peer;
    // the reader's two, then the writer's two
    private volatile long bytesIn;
    private volatile long messagesIn;
    private volatile long bytesOut;
    private volatile long messagesOut;
    private final LongAdder busyWaits = new LongAdder();

    PeerTraffic(Atom peer) {
        this.peer = peer;
    }

    Atom peer() {
        return peer;
    }

    /** {@code n} bytes were read from the socket. */
    void bytesIn(long n) {
        BYTES_IN.getAndAdd(this, n);
    }

    /** A frame with a message or a signal was read. */
    void messageIn() {
        MESSAGES_IN.getAndAdd(this, 1L);
    }

    /** {@code n} bytes were written to the socket. */
    void bytesOut(long n) {
        BYTES_OUT.getAndAdd(this, n);
    }

    /** A frame with a message or a signal was written. */
    void messageOut() {
        MESSAGES_OUT.getAndAdd(this, 1L);
    }

    /** A sender waited at the busy gate; any thread. */
    void busyWait() {
        busyWaits.increment();
    }

    NodeStats.Connection snapshot(NodeStats.ConnectionState state) {
        return new NodeStats.Connection(peer, state, (long) BYTES_IN.getVolatile(this),
                (long) BYTES_OUT.getVolatile(this), (long) MESSAGES_IN.getVolatile(this),
                (long) MESSAGES_OUT.getVolatile(this), busyWaits.sum());
    }
}
