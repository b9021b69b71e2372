package io.ergon.io.tcp;

import io.ergon.io.Active;
import io.ergon.io.IoError;
import io.ergon.io.internal.Demand;
import io.ergon.io.internal.Ownership;
import io.ergon.io.internal.PacketDecoder;
import io.ergon.io.internal.PolledStream;
import io.ergon.io.internal.PortProcess;
import io.ergon.io.internal.StreamReader;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP connection owned by a process, as a {@code gen_tcp} socket is: what arrives goes to the owner as
 * {@link TcpData} (one per packet of the {@link io.ergon.io.Packet} framing), then {@link TcpClosed} or
 * {@link TcpError}, as far as the {@link Active} mode allows; the owner sends with {@link #send}, and reads itself
 * with {@link #recv} while passive.
 *
 * <p>Flow control: the socket is read for the owner only while the mode is active; with {@link Active#once()}
 * nothing more is read until the owner asks again, so a slow owner leaves the bytes in the kernel's buffers and
 * TCP's window holds the peer back. What the socket holds itself is at most one turn's read and one unfinished
 * packet ({@link #bufferedBytes()}). No thread waits on an idle socket: a shared poller watches it, and the bytes
 * are read by the poller's thread when they arrive, or by the owner's when it turns the socket active.
 *
 * <p>The socket is a port: a process ({@link #port()}) linked to the owner. When the owner exits, for any reason,
 * the socket closes; when the socket closes, the port process ends with {@code normal} (an owner that traps exits
 * gets its {@code Exit}). {@link #send}, {@link #setActive} and {@link #close} may be called from any thread;
 * {@link #recv} by one reader at a time.
 */
public final class TcpSocket {
    private final SocketChannel channel;
    private final TcpOptions options;
    private final Demand demand;
    private final PolledStream stream;
    private final InetSocketAddress remote;
    private final Ownership ownership;
    private volatile boolean closed;
    private final AtomicBoolean released = new AtomicBoolean();

    private TcpSocket(Node node, SocketChannel channel, TcpOptions options) throws IOException {
        this.channel = channel;
        this.options = options;
        channel.setOption(StandardSocketOptions.TCP_NODELAY, options.noDelay());
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.demand = new Demand(options.active());
        this.ownership = new Ownership(node, demand);
        this.stream = new PolledStream(channel, new PacketDecoder(options.packet(), options.packetSize()), demand,
                new ToOwner());
    }

    /**
     * Connects to {@code host:port} ({@code gen_tcp:connect/4}) and gives the socket to {@code owner}.
     *
     * @param timeout how long the connect may take; null waits as long as the system does
     * @throws IoError {@code econnrefused}, {@code timeout}, or another reason
     */
    public static TcpSocket connect(ProcessContext owner, String host, int port, TcpOptions options,
                                    Duration timeout) {
        SocketChannel s = null;
        try {
            s = SocketChannel.open();
            s.socket().connect(new InetSocketAddress(host, port),
                    timeout == null ? 0 : (int) Math.max(1, timeout.toMillis()));
            TcpSocket socket = new TcpSocket(owner.node(), s, options);
            socket.handOver(owner.self());
            return socket;
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            closeQuietly(s);
            throw new IoError(IoError.reasonOf(cause), "connect to " + host + ":" + port + ": " + cause.getMessage(),
                    cause);
        }
    }

    /** A socket accepted by a server, with no owner yet: nothing is read until {@link #handOver}. */
    static TcpSocket accepted(Node node, SocketChannel s, TcpOptions options) throws IOException {
        return new TcpSocket(node, s, options);
    }

    /** Gives a new socket to its first owner: its port process links to it, and reading starts. */
    void handOver(Pid first) {
        ownership.start(first, new PortResource());
        stream.start();
    }

    /**
     * Sends {@code data}, framed by the socket's packet option ({@code gen_tcp:send/2}). Blocks while the kernel's
     * send buffer is full (the peer reads slower than this sends), as Erlang's busy port does.
     *
     * @throws IoError {@code closed}, {@code emsgsize} (too long for a length header), or the write's failure
     */
    public void send(byte[] data) {
        byte[] framed = options.packet().frame(Objects.requireNonNull(data, "data"));
        if (closed) {
            throw new IoError(IoError.CLOSED, "send on a closed socket");
        }
        try {
            stream.write(framed);
        } catch (IOException e) {
            throw new IoError(closed ? IoError.CLOSED : IoError.reasonOf(e), String.valueOf(e.getMessage()), e);
        }
    }

    /** Sends {@code text} as UTF-8. */
    public void send(String text) {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sets the active mode ({@code inet:setopts(S, [{active, A}])}); a count that ends at zero or below sends
     * {@link TcpPassive} at once, as in Erlang.
     */
    public void setActive(Active active) {
        if (demand.set(Objects.requireNonNull(active, "active"))) {
            ownership.toOwner(new TcpPassive(this));
        } else if (!(active instanceof Active.Passive)) {
            stream.pump();
        }
    }

    /**
     * Reads the next packet while passive ({@code gen_tcp:recv(S, 0, Timeout)}): one packet of the framing, or for
     * raw sockets whatever bytes there are (at least one).
     *
     * @param timeout null waits without limit
     * @throws IoError {@code einval} while active, {@code timeout}, {@code closed} (the socket is closed then)
     */
    public byte[] recv(Duration timeout) {
        return recv(0, timeout);
    }

    /**
     * Reads exactly {@code length} bytes of a raw socket while passive ({@code gen_tcp:recv(S, Length, Timeout)});
     * {@code length} 0 reads as {@link #recv(Duration)}.
     */
    public byte[] recv(int length, Duration timeout) {
        if (length > 0 && !(options.packet() instanceof io.ergon.io.Packet.Raw)) {
            throw new IoError(IoError.EINVAL, "a length is for raw sockets only");
        }
        if (closed) {
            throw new IoError(IoError.CLOSED, "recv on a closed socket");
        }
        try {
            return stream.recv(length, timeout);
        } catch (IoError e) {
            if (e.reason() != IoError.TIMEOUT && e.reason() != IoError.EINVAL) {
                close();
            }
            throw e;
        }
    }

    /**
     * Hands the socket to {@code newOwner} ({@code gen_tcp:controlling_process/2}): what arrives from now on goes
     * there, and the link moves. Call it as the current owner, with its context, so that the move reaches the port
     * before the old owner's exit would.
     */
    public void controllingProcess(ProcessContext self, Pid newOwner) {
        ownership.moveTo(self, newOwner);
    }

    /** Closes the socket ({@code gen_tcp:close/1}); the owner gets no {@link TcpClosed} for it. Idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        release();
    }

    /** Stops reading, closes the socket and ends its port process, once, whoever closed it first. */
    private void release() {
        if (released.compareAndSet(false, true)) {
            stream.stop();
            closeQuietly(channel);
            ownership.closed();
        }
    }

    /** Whether the socket is still open. */
    public boolean isOpen() {
        return !closed;
    }

    /** The owner, or null before a server handed the socket to its handler. */
    public Pid owner() {
        return ownership.owner();
    }

    /** The socket's port process (linked to the owner), or null before it has an owner. */
    public Pid port() {
        return ownership.port();
    }

    /** The peer's address. */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** This end's address. */
    public SocketAddress localAddress() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            return null; // closed
        }
    }

    /** Bytes read from the connection and not yet delivered: a partial packet, or packets waiting for demand. */
    public int bufferedBytes() {
        return stream.buffered();
    }

    /** The options the socket was opened with. */
    public TcpOptions options() {
        return options;
    }

    @Override
    public String toString() {
        return "TcpSocket[" + remote + (closed ? ", closed" : "") + "]";
    }

    private static void closeQuietly(SocketChannel s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // closing: nothing to do about a failure
        }
    }

    /** Turns the reader's events into the owner's messages. */
    private final class ToOwner implements StreamReader.Events {
        @Override
        public void data(byte[] packet) {
            ownership.toOwner(new TcpData(TcpSocket.this, packet));
        }

        @Override
        public void passive() {
            ownership.toOwner(new TcpPassive(TcpSocket.this));
        }

        @Override
        public void closed() {
            closed = true; // an owner that gets TcpClosed finds the socket closed, as after Erlang's tcp_closed
            ownership.toOwner(new TcpClosed(TcpSocket.this));
            release();
        }

        @Override
        public void error(Atom reason) {
            ownership.toOwner(new TcpError(TcpSocket.this, reason));
        }
    }

    private final class PortResource implements PortProcess.Resource {
        @Override
        public void ownerExited(Object reason) {
            close();
        }
    }
}
