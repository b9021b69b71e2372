package io.ergon.io.tcp;

import io.ergon.io.Active;
import io.ergon.io.IoError;
import io.ergon.io.internal.Demand;
import io.ergon.io.internal.Ownership;
import io.ergon.io.internal.PacketDecoder;
import io.ergon.io.internal.PolledStream;
import io.ergon.io.internal.PortProcess;
import io.ergon.io.internal.StreamReader;
import io.ergon.io.internal.TlsWire;
import io.ergon.io.internal.Wire;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.node.TlsOptions;
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
import javax.net.ssl.SSLContext;

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
 * <p>The socket is a port of its owner: when the owner exits, for any reason, the socket closes (the runtime closes
 * it as the owner exits, before the owner's links and monitors learn of the exit, as Erlang's closes a port).
 * {@link #port()} is a process that stands for the socket, started on the first call (a socket nobody asks costs
 * no process): linked to the owner, it ends with {@code normal} when the socket closes (an owner that traps exits
 * then gets its {@code Exit}). {@link #send}, {@link #setActive} and {@link #close} may be called from any thread;
 * {@link #recv} by one reader at a time.
 *
 * <p>With TLS ({@link TcpOptions#tls}) all of this holds for the plaintext: the pollers drive the handshake as the
 * bytes come (its computations on a virtual thread while they last), whatever the mode, within
 * {@link TcpOptions#handshakeTimeout}; the owner gets its first data after it, and a {@link #send} or {@link #recv}
 * before it waits for it. A handshake that fails (a certificate refused, the time up) is the socket's end: the
 * owner gets {@link TcpError} with Erlang's {@code ssl} reason,
 * {@code {tls_alert, {Description, Text}}} (or {@code timeout}), then {@link TcpClosed}. What arrives is decrypted
 * only as the owner asks for it, so the flow control is the same; {@link #bufferedBytes()} adds at most one TLS
 * record read and not decrypted, and one record's plaintext. {@link #close} sends TLS's {@code close_notify}.
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

    /** A socket over {@code channel}; with {@code tls}, its TLS handshake starts at once (the pollers drive it). */
    private TcpSocket(Node node, SocketChannel channel, TcpOptions options, Tls tls) throws IOException {
        this.channel = channel;
        this.options = options;
        channel.setOption(StandardSocketOptions.TCP_NODELAY, options.noDelay());
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.demand = new Demand(options.active());
        this.ownership = new Ownership(node, demand);
        Wire wire = tls == null ? Wire.plain(channel) : tls.wire(channel, this::writeOwedLater);
        this.stream = new PolledStream(channel, wire, options.handshakeTimeout(),
                new PacketDecoder(options.packet(), options.packetSize()), demand, new ToOwner());
    }

    /** How a socket's TLS is set up: the context, and which side it is (the host it connects to, or null). */
    record Tls(SSLContext context, TlsOptions options, String host, int port) {
        Wire wire(SocketChannel channel, Runnable writeOwedLater) throws IOException {
            return host == null ? TlsWire.server(channel, context, options, writeOwedLater)
                    : TlsWire.client(channel, context, options, host, port, writeOwedLater);
        }
    }

    private void writeOwedLater() {
        stream.writeOwedLater();
    }

    /**
     * Connects to {@code host:port} ({@code gen_tcp:connect/4}) and gives the socket to {@code owner}. With TLS in
     * {@code options} ({@code ssl:connect/4}) it returns once the handshake is done: the server's certificate
     * verified against the CA bundle and found to name {@code host}, as the options say.
     *
     * @param timeout how long the connect may take; null waits as long as the system does (the TLS handshake has
     *     its own limit, {@link TcpOptions#handshakeTimeout})
     * @throws IoError {@code econnrefused}, {@code timeout}, a TLS refusal {@code {tls_alert, {Description, Text}}}
     *     ({@code unknown_ca}: the server's certificate is not trusted, ...), or another reason; TLS options whose
     *     files cannot be read fail with {@code einval}, naming the file
     */
    public static TcpSocket connect(ProcessContext owner, String host, int port, TcpOptions options,
                                    Duration timeout) {
        long start = System.nanoTime();
        Tls tls = null;
        if (options.tls().enabled()) {
            try {
                tls = new Tls(options.tls().sslContext(), options.tls(), host, port);
            } catch (IOException e) {
                throw new IoError(IoError.EINVAL, "TLS settings for " + host + ":" + port + ": " + e.getMessage(), e);
            }
        }
        SocketChannel s = null;
        TcpSocket socket = null;
        try {
            s = SocketChannel.open();
            s.socket().connect(new InetSocketAddress(host, port),
                    timeout == null ? 0 : (int) Math.max(1, timeout.toMillis()));
            socket = new TcpSocket(owner.node(), s, options, tls);
            socket.stream.completeHandshake(timeout == null ? null
                    : timeout.minusNanos(System.nanoTime() - start));
            socket.handOver(owner.self());
            return socket;
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            closeQuietly(s);
            throw new IoError(IoError.reasonOf(cause), "connect to " + host + ":" + port + ": " + cause.getMessage(),
                    cause);
        } catch (IoError e) {
            if (socket != null) {
                socket.close();
            }
            closeQuietly(s);
            throw new IoError(e.reason(), "connect to " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * A socket accepted by a server, with no owner yet: nothing is read for an owner until {@link #handOver}; with
     * {@code tls} (null: plain) its handshake starts now.
     */
    static TcpSocket accepted(Node node, SocketChannel s, TcpOptions options, SSLContext tls) throws IOException {
        return new TcpSocket(node, s, options, tls == null ? null : new Tls(tls, options.tls(), null, 0));
    }

    /** Gives a new socket to its first owner, whose exit closes it from now on, and reading starts. */
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
     * there, and its exit, no longer the old owner's, closes the socket (the port process's link moves too). Call
     * it as the current owner, with its context.
     *
     * @throws IoError {@code badarg}, the socket staying with its owner, if {@code newOwner} is not a live process
     *     of this node (as Erlang's, which needs a local process)
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

    /**
     * The socket's port process, started on the first call: linked to the owner, it ends with {@code normal} when
     * the socket closes (at once if it has closed already). Null before the socket has an owner.
     */
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
        public void error(Object reason) {
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
