package io.ergon.net;

import io.ergon.net.internal.AcceptLoop;
import io.ergon.net.internal.SocketDeadline;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An EPMD server: Erlang nodes and Ergon nodes register with it and look each other up, as with Erlang's
 * {@code epmd}. A node starts one itself when no EPMD answers on its port; {@code ergon epmd} runs one alone.
 *
 * <p>It speaks the EPMD protocol (ALIVE2, PORT_PLEASE2, NAMES, DUMP, KILL). A registration lasts as long as the
 * registering connection; a name already registered is refused. A malformed request closes that connection only.
 */
public final class EpmdServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EpmdServer.class);
    private static final int DUMP_REQ = 100;
    private static final int KILL_REQ = 107;
    private static final int STOP_REQ = 115;
    private static final int REQUEST_TIMEOUT_MILLIS = 10_000;

    private final ServerSocket server;
    private final Map<String, Registered> nodes = new ConcurrentHashMap<>();
    private final Thread acceptor;
    private volatile boolean closed;

    private record Registered(EpmdClient.NodeEntry entry, Socket socket, int creation) {
    }

    private EpmdServer(ServerSocket server) {
        this.server = server;
        this.acceptor = Thread.ofVirtual().name("ergon-epmd-acceptor").start(this::accept);
    }

    /**
     * Starts an EPMD on {@code port} (0 picks a free one), bound to {@code address} (null: every interface, as
     * Erlang's epmd).
     *
     * @throws java.net.BindException if the port is taken, e.g. by another EPMD
     */
    public static EpmdServer start(InetAddress address, int port) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            s.close();
            throw e;
        }
        EpmdServer epmd = new EpmdServer(s);
        LOG.info("EPMD listening on {}", s.getLocalSocketAddress());
        return epmd;
    }

    /** The port it listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** The names registered now. */
    public List<EpmdClient.NodeEntry> registered() {
        List<EpmdClient.NodeEntry> out = new ArrayList<>();
        nodes.values().forEach(r -> out.add(r.entry()));
        return out;
    }

    /** Accepts until closed, and through running out of file descriptors ({@link AcceptLoop}). */
    private void accept() {
        AcceptLoop.run(server, () -> closed, LOG, "EPMD",
                socket -> Thread.ofVirtual().name("ergon-epmd-conn").start(() -> serve(socket)));
    }

    private void serve(Socket socket) {
        try {
            socket.setTcpNoDelay(true);
            // one deadline for the whole request, not per read: a peer sending a byte at a time is cut off
            DataInputStream in = new DataInputStream(new SocketDeadline(socket,
                    Duration.ofMillis(REQUEST_TIMEOUT_MILLIS), "an EPMD request"));
            int len = in.readUnsignedShort();
            if (len == 0) {
                throw new EpmdException("empty request");
            }
            byte[] req = new byte[len];
            in.readFully(req);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            int type = req[0] & 0xff;
            if ((type == EpmdClient.ALIVE2_REQ || type == KILL_REQ || type == STOP_REQ)
                    && !isLocal(socket.getInetAddress())) {
                // as Erlang's epmd: only a process of this host registers a node or stops the EPMD
                LOG.warn("EPMD: refused request {} from {}: not a local address", type,
                        socket.getRemoteSocketAddress());
                return;
            }
            switch (type) {
                case EpmdClient.ALIVE2_REQ -> {
                    alive2(socket, req, out); // returns when the registration ends
                    return;
                }
                case EpmdClient.PORT_PLEASE2_REQ -> portPlease(req, out);
                case EpmdClient.NAMES_REQ -> names(out, false);
                case DUMP_REQ -> names(out, true);
                case KILL_REQ -> kill(out);
                case STOP_REQ -> out.write("NOEXIST".getBytes(StandardCharsets.US_ASCII));
                default -> throw new EpmdException("unknown request " + (req[0] & 0xff));
            }
            out.flush();
        } catch (SocketTimeoutException | EOFException e) {
            LOG.debug("EPMD: incomplete request from {}", socket.getRemoteSocketAddress());
        } catch (IOException | RuntimeException e) {
            LOG.warn("EPMD: bad request from {}: {}", socket.getRemoteSocketAddress(), e.toString());
        } finally {
            closeQuietly(socket);
        }
    }

    /** Whether {@code peer} is this host: a loopback address, or the address of one of its interfaces. */
    static boolean isLocal(InetAddress peer) {
        if (peer.isLoopbackAddress() || peer.isAnyLocalAddress()) {
            return true;
        }
        try {
            return java.net.NetworkInterface.getByInetAddress(peer) != null;
        } catch (java.net.SocketException e) {
            return false;
        }
    }

    private void alive2(Socket socket, byte[] req, DataOutputStream out) throws IOException {
        DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(req, 1, req.length - 1));
        int port = d.readUnsignedShort();
        int type = d.readUnsignedByte();
        int protocol = d.readUnsignedByte();
        int hi = d.readUnsignedShort();
        int lo = d.readUnsignedShort();
        byte[] n = new byte[d.readUnsignedShort()];
        d.readFully(n);
        String name = new String(n, StandardCharsets.UTF_8);
        int creation = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        Registered reg = new Registered(new EpmdClient.NodeEntry(name, port, type, protocol, hi, lo), socket,
                creation);
        boolean ok = name.length() > 0 && nodes.putIfAbsent(name, reg) == null;
        if (hi >= 6) {
            out.writeByte(EpmdClient.ALIVE2_X_RESP);
            out.writeByte(ok ? 0 : 1);
            out.writeInt(ok ? creation : 0);
        } else {
            out.writeByte(EpmdClient.ALIVE2_RESP);
            out.writeByte(ok ? 0 : 1);
            out.writeShort(ok ? creation & 0xffff : 0);
        }
        out.flush();
        if (!ok) {
            LOG.info("EPMD: refused to register '{}': the name is in use", name);
            return;
        }
        LOG.debug("EPMD: registered {} at port {}", name, port);
        socket.setSoTimeout(0);
        // the registration lives as long as this connection; a registered node sends nothing more
        try (InputStream in = socket.getInputStream()) {
            while (in.read() >= 0) {
                // ignore
            }
        } catch (IOException ignored) {
            // connection gone: unregister below
        } finally {
            nodes.remove(name, reg);
            closeQuietly(socket);
            LOG.debug("EPMD: unregistered {}", name);
        }
    }

    private void portPlease(byte[] req, DataOutputStream out) throws IOException {
        String name = new String(req, 1, req.length - 1, StandardCharsets.UTF_8);
        Registered r = nodes.get(name);
        out.writeByte(EpmdClient.PORT2_RESP);
        if (r == null) {
            out.writeByte(1);
            return;
        }
        EpmdClient.NodeEntry e = r.entry();
        byte[] n = e.name().getBytes(StandardCharsets.UTF_8);
        out.writeByte(0);
        out.writeShort(e.port());
        out.writeByte(e.nodeType());
        out.writeByte(e.protocol());
        out.writeShort(e.highestVersion());
        out.writeShort(e.lowestVersion());
        out.writeShort(n.length);
        out.write(n);
        out.writeShort(0);
    }

    private void names(DataOutputStream out, boolean dump) throws IOException {
        out.writeInt(port());
        StringBuilder text = new StringBuilder();
        for (Registered r : nodes.values()) {
            if (dump) {
                text.append("active name     <").append(r.entry().name()).append("> at port ")
                        .append(r.entry().port()).append(", fd = 0\n");
            } else {
                text.append("name ").append(r.entry().name()).append(" at port ").append(r.entry().port())
                        .append('\n');
            }
        }
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void kill(OutputStream out) throws IOException {
        // as epmd: refuse while nodes are registered
        if (!nodes.isEmpty()) {
            out.write("NO".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        out.write("OK".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.ofVirtual().start(this::close);
    }

    /** Stops listening and drops every registration. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Registered r : nodes.values()) {
            closeQuietly(r.socket());
        }
        nodes.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }
}
