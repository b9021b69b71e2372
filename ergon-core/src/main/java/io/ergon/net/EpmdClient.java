package io.ergon.net;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Talks to an EPMD (Erlang's port mapper daemon, or Ergon's {@link EpmdServer}): registers a node and keeps the
 * registration alive, finds the port of a node, lists the names. Every call has a timeout and fails with an
 * {@link IOException} saying what went wrong.
 */
public final class EpmdClient {
    /** The default EPMD port. */
    public static final int DEFAULT_PORT = 4369;
    /** Node type of a normal (visible) node. */
    public static final int NODE_TYPE_NORMAL = 77;
    /** Node type of a hidden node. */
    public static final int NODE_TYPE_HIDDEN = 72;
    static final int ALIVE2_REQ = 120;
    static final int ALIVE2_X_RESP = 118;
    static final int ALIVE2_RESP = 121;
    static final int PORT_PLEASE2_REQ = 122;
    static final int PORT2_RESP = 119;
    static final int NAMES_REQ = 110;
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final Pattern NAME_LINE = Pattern.compile("name (\\S+) at port (\\d+)");

    private final InetAddress host;
    private final int port;

    /** A client of the EPMD at {@code host:port}. */
    public EpmdClient(InetAddress host, int port) {
        this.host = host;
        this.port = port;
    }

    /** The EPMD port this process uses: {@code ERL_EPMD_PORT} if set, else {@value #DEFAULT_PORT}. */
    public static int defaultPort() {
        String env = System.getenv("ERL_EPMD_PORT");
        if (env != null && !env.isBlank()) {
            try {
                return Integer.parseInt(env.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ERL_EPMD_PORT is not a port number: " + env);
            }
        }
        return DEFAULT_PORT;
    }

    public int port() {
        return port;
    }

    /** A node as EPMD knows it. */
    public record NodeEntry(String name, int port, int nodeType, int protocol, int highestVersion,
                            int lowestVersion) {
    }

    /** A live registration: the node stays registered while this is open. */
    public static final class Registration implements AutoCloseable {
        private final Socket socket;
        private final int creation;

        Registration(Socket socket, int creation) {
            this.socket = socket;
            this.creation = creation;
        }

        /** The creation EPMD assigned: the node's incarnation number. */
        public int creation() {
            return creation;
        }

        /** True while EPMD keeps the registration (the socket is open). */
        public boolean isOpen() {
            return !socket.isClosed();
        }

        /** Unregisters the node. */
        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
    }

    /**
     * Registers {@code alive} as listening on {@code listenPort}.
     *
     * @throws java.net.ConnectException if no EPMD listens there
     * @throws EpmdException if EPMD refuses (the name is taken)
     */
    public Registration register(String alive, int listenPort, boolean hidden) throws IOException {
        byte[] name = alive.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(req);
        d.writeByte(ALIVE2_REQ);
        d.writeShort(listenPort);
        d.writeByte(hidden ? NODE_TYPE_HIDDEN : NODE_TYPE_NORMAL);
        d.writeByte(0); // TCP/IPv4
        d.writeShort(6); // highest version
        d.writeShort(6); // lowest version
        d.writeShort(name.length);
        d.write(name);
        d.writeShort(0); // no extra
        Socket socket = connect();
        try {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            send(socket, req.toByteArray());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int tag = in.readUnsignedByte();
            int result = in.readUnsignedByte();
            int creation;
            if (tag == ALIVE2_X_RESP) {
                creation = in.readInt();
            } else if (tag == ALIVE2_RESP) {
                creation = in.readUnsignedShort();
            } else {
                throw new EpmdException("EPMD answered registration with tag " + tag);
            }
            if (result != 0) {
                throw new EpmdException("EPMD refused to register '" + alive + "' (result " + result
                        + "): the name is probably in use");
            }
            socket.setSoTimeout(0);
            return new Registration(socket, creation);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The port of node {@code alive}, or null if EPMD does not know it. */
    public NodeEntry portPlease(String alive) throws IOException {
        byte[] name = alive.getBytes(StandardCharsets.UTF_8);
        byte[] req = new byte[1 + name.length];
        req[0] = (byte) PORT_PLEASE2_REQ;
        System.arraycopy(name, 0, req, 1, name.length);
        try (Socket socket = connect()) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            send(socket, req);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int tag = in.readUnsignedByte();
            if (tag != PORT2_RESP) {
                throw new EpmdException("EPMD answered PORT_PLEASE2 with tag " + tag);
            }
            if (in.readUnsignedByte() != 0) {
                return null;
            }
            int port = in.readUnsignedShort();
            int type = in.readUnsignedByte();
            int protocol = in.readUnsignedByte();
            int hi = in.readUnsignedShort();
            int lo = in.readUnsignedShort();
            byte[] n = new byte[in.readUnsignedShort()];
            in.readFully(n);
            // Extra follows; we ignore it.
            return new NodeEntry(new String(n, StandardCharsets.UTF_8), port, type, protocol, hi, lo);
        }
    }

    /** The names EPMD knows, as {@code (name, port)} entries (the other fields are not in this answer: zero). */
    public List<NodeEntry> names() throws IOException {
        try (Socket socket = connect()) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            send(socket, new byte[] {(byte) NAMES_REQ});
            InputStream in = socket.getInputStream();
            new DataInputStream(in).readInt(); // EPMD's own port
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<NodeEntry> out = new ArrayList<>();
            for (String line : text.split("\n")) {
                Matcher m = NAME_LINE.matcher(line.trim());
                if (m.matches()) {
                    out.add(new NodeEntry(m.group(1), Integer.parseInt(m.group(2)), 0, 0, 0, 0));
                }
            }
            return out;
        } catch (EOFException e) {
            throw new EpmdException("EPMD closed the connection before answering NAMES");
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static void send(Socket socket, byte[] request) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeShort(request.length);
        out.write(request);
        out.flush();
    }
}
