package io.ergon.io.udp;

import io.ergon.io.Active;
import io.ergon.io.IoError;
import io.ergon.io.internal.Demand;
import io.ergon.io.internal.Ownership;
import io.ergon.io.internal.PortProcess;
import io.ergon.node.Node;
import io.ergon.node.ProcessContext;
import io.ergon.term.Pid;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * A UDP socket owned by a process, as a {@code gen_udp} socket is: each datagram that arrives goes to the owner as
 * a {@link UdpDatagram}, one at a time as far as the {@link Active} mode allows (a socket passive or out of its
 * count reads nothing, and the kernel drops what overflows its buffer, as UDP does); {@link #send} sends one.
 *
 * <p>Like a TCP socket it is a port: it closes when its owner exits, and its process ({@link #port()}, started on
 * the first call), linked to the owner, ends with {@code normal} when the socket closes and sends every
 * {@link UdpSend} it is sent. Thread-safe.
 */
public final class UdpSocket {
    /** The largest UDP payload over IPv4. */
    private static final int MAX_DATAGRAM = 65507;

    private final DatagramChannel channel;
    private final Demand demand;
    private final Ownership ownership;
    private volatile boolean closed;

    private UdpSocket(Node node, DatagramChannel channel, Active active) {
        this.channel = channel;
        this.demand = new Demand(active);
        this.ownership = new Ownership(node, demand);
    }

    /**
     * Opens a socket on {@code port} of {@code address} ({@code gen_udp:open/2}) for {@code owner}.
     *
     * @param address the address to bind, or null for every address
     * @param port the port, or 0 for any free one ({@link #localAddress()})
     * @param active the mode it starts in
     * @throws IoError if the port cannot be bound ({@code eaddrinuse}, ...)
     */
    public static UdpSocket open(ProcessContext owner, InetAddress address, int port, Active active) {
        try {
            DatagramChannel channel = DatagramChannel.open();
            try {
                channel.bind(new InetSocketAddress(address, port));
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            UdpSocket socket = new UdpSocket(owner.node(), channel, active);
            socket.ownership.start(owner.self(), socket.new PortResource());
            Thread.ofVirtual().name("ergon-udp-reader").start(socket::readLoop);
            return socket;
        } catch (IOException e) {
            throw new IoError(IoError.reasonOf(e), "open udp port " + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sends one datagram ({@code gen_udp:send/4}).
     *
     * @throws IoError {@code closed}, {@code emsgsize}, or the send's failure
     */
    public void send(InetSocketAddress to, byte[] data) {
        if (closed) {
            throw new IoError(IoError.CLOSED, "send on a closed socket");
        }
        if (data.length > MAX_DATAGRAM) {
            throw new IoError(IoError.EMSGSIZE, data.length + " bytes do not fit a datagram");
        }
        try {
            channel.send(ByteBuffer.wrap(data), to);
        } catch (IOException e) {
            throw new IoError(closed ? IoError.CLOSED : IoError.reasonOf(e), String.valueOf(e.getMessage()), e);
        }
    }

    /** Sets the active mode, as {@code inet:setopts(S, [{active, A}])}; see {@link Active}. */
    public void setActive(Active active) {
        if (demand.set(Objects.requireNonNull(active, "active"))) {
            ownership.toOwner(new UdpPassive(this));
        }
    }

    /** Hands the socket to {@code newOwner}, as the current owner ({@code gen_udp:controlling_process/2}). */
    public void controllingProcess(ProcessContext self, Pid newOwner) {
        ownership.moveTo(self, newOwner);
    }

    /** Closes the socket ({@code gen_udp:close/1}). Idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        demand.close();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing to do about a failure
        }
        ownership.closed();
    }

    /** Whether the socket is still open. */
    public boolean isOpen() {
        return !closed;
    }

    /** The address and port the socket is bound to. */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IoError(IoError.CLOSED, "the socket is closed", e);
        }
    }

    /** The owner. */
    public Pid owner() {
        return ownership.owner();
    }

    /** The socket's port process (started on the first call): linked to the owner; send it {@link UdpSend}s. */
    public Pid port() {
        return ownership.port();
    }

    @Override
    public String toString() {
        return "UdpSocket[" + (closed ? "closed" : localAddress()) + "]";
    }

    /** Receives one datagram at a time, only while the owner's mode lets it deliver one. */
    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        try {
            while (demand.awaitActive()) {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                buffer.flip();
                byte[] data = Arrays.copyOfRange(buffer.array(), 0, buffer.limit());
                // a datagram that came as the owner turned passive waits for the next turn, as Erlang's would
                if (!demand.lockWhenActive()) {
                    return;
                }
                try {
                    ownership.toOwner(new UdpDatagram(this, (InetSocketAddress) from, data));
                    if (demand.consume()) {
                        ownership.toOwner(new UdpPassive(this));
                    }
                } finally {
                    demand.unlock();
                }
            }
        } catch (ClosedChannelException e) {
            // closed by close(): the loop ends
        } catch (IOException | InterruptedException e) {
            close();
        }
    }

    private final class PortResource implements PortProcess.Resource {
        @Override
        public void ownerExited(Object reason) {
            close();
        }

        @Override
        public void message(Object message) {
            if (message instanceof UdpSend(InetSocketAddress to, byte[] data) && !closed) {
                try {
                    send(to, data);
                } catch (IoError dropped) {
                    // UDP may drop any datagram; a sender by message asked for no answer
                }
            }
        }
    }
}
