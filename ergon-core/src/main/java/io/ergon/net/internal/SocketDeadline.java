package io.ergon.net.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * One deadline for a whole exchange on a socket's input (a handshake, an EPMD request), whatever the peer sends:
 * before each read the socket's read timeout is set to the time left, and a read after the deadline fails. A per-read
 * timeout alone let a peer that sends one byte every few seconds hold a handshake, and its socket, open for ever
 * (issue 19's slowloris: 2,000 of 2,000 such handshakes were still open after 60 s, where Erlang's net_setuptime
 * closes them).
 */
public final class SocketDeadline extends FilterInputStream {
    private final Socket socket;
    private final long deadline;
    private final Duration limit;
    private final String what;

    /** Reads of {@code socket} that fail once {@code limit} has passed; {@code what} names the exchange. */
    public SocketDeadline(Socket socket, Duration limit, String what) throws IOException {
        this(socket, System.nanoTime() + limit.toNanos(), limit, what);
    }

    /**
     * Reads of {@code socket} that fail once {@link System#nanoTime()} reaches {@code deadline}, set earlier (a TLS
     * handshake took part of the time); {@code limit} is the whole time, for the message.
     */
    public SocketDeadline(Socket socket, long deadline, Duration limit, String what) throws IOException {
        super(socket.getInputStream());
        this.socket = socket;
        this.limit = limit;
        this.what = what;
        this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
        armTimeout();
        return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        armTimeout();
        return super.read(b, off, len);
    }

    private void armTimeout() throws IOException {
        long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMillis <= 0) {
            throw new SocketTimeoutException(what + " did not finish within " + limit);
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMillis));
    }
}
