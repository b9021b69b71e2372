package io.ergon.io.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.io.Active;
import io.ergon.io.IoError;
import io.ergon.io.Packet;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A TCP server under supervision, with plain {@link Socket}s as its clients. */
class TcpServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Node node;

    @BeforeEach
    void start() {
        node = Node.start("tcp_server_test@localhost");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /** A loopback port free a moment ago, for a server on a fixed port. */
    private static int freePort() throws IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private int startServer(TcpServerSpec spec) {
        TcpServer.start(node, spec.bind(InetAddress.getLoopbackAddress()));
        return TcpServer.port(node, spec.name());
    }

    @Test
    void echoesOverManyConnectionsEachOwnedByItsOwnProcess() throws Exception {
        int port = startServer(TcpServerSpec.of("echo", 0, Handlers.Echo::new)
                .options(TcpOptions.defaults().packet(Packet.length(2))));
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                clients.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < clients.size(); i++) {
                    writePacket2(clients.get(i), "hello " + i + " " + round);
                }
                for (int i = 0; i < clients.size(); i++) {
                    assertThat(readPacket2(clients.get(i))).isEqualTo("hello " + i + " " + round);
                }
            }
            assertThat(TcpServer.connections(node, "echo")).hasSize(20).doesNotHaveDuplicates();
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
        awaitConnections("echo", 0);
    }

    @Test
    void packetsSplitAcrossWritesArriveWhole() throws Exception {
        int port = startServer(TcpServerSpec.of("lines", 0, Handlers.Echo::new)
                .options(TcpOptions.defaults().packet(Packet.line())));
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            byte[] text = "first line\nsecond".getBytes(StandardCharsets.US_ASCII);
            for (byte b : text) {
                client.getOutputStream().write(b);
                client.getOutputStream().flush();
            }
            client.getOutputStream().write(" line\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readLine(client.getInputStream())).isEqualTo("first line\n");
            assertThat(readLine(client.getInputStream())).isEqualTo("second line\n");
        }
    }

    @Test
    void aCrashedHandlerClosesItsSocketOnlyAndTheServerGoesOn() throws Exception {
        int port = startServer(TcpServerSpec.of("crashy", 0, Handlers.Echo::new)
                .options(TcpOptions.defaults().packet(Packet.length(2))));
        try (Socket victim = new Socket(InetAddress.getLoopbackAddress(), port);
             Socket bystander = new Socket(InetAddress.getLoopbackAddress(), port)) {
            writePacket2(bystander, "before");
            assertThat(readPacket2(bystander)).isEqualTo("before");
            writePacket2(victim, "crash now");
            victim.setSoTimeout((int) WAIT.toMillis());
            assertThat(victim.getInputStream().read()).as("the crashed handler's socket is closed").isEqualTo(-1);
            writePacket2(bystander, "after");
            assertThat(readPacket2(bystander)).isEqualTo("after");
            awaitConnections("crashy", 1);
            try (Socket newcomer = new Socket(InetAddress.getLoopbackAddress(), port)) {
                writePacket2(newcomer, "new");
                assertThat(readPacket2(newcomer)).isEqualTo("new");
            }
        }
    }

    @Test
    void aKilledHandlerClosesItsSocketBeforeItsSupervisorLearnsOfItAndCostsNoOtherProcess() throws Exception {
        int port = startServer(TcpServerSpec.of("killed", 0, Handlers.Echo::new)
                .options(TcpOptions.defaults().packet(Packet.length(2))));
        int before = node.processCount();
        try (Socket victim = new Socket(InetAddress.getLoopbackAddress(), port)) {
            writePacket2(victim, "hello");
            assertThat(readPacket2(victim)).isEqualTo("hello");
            awaitConnections("killed", 1);
            assertThat(node.processCount()).as("a connection is one process, its handler").isEqualTo(before + 1);
            io.ergon.term.Pid handler = TcpServer.connections(node, "killed").getFirst();
            node.exit(handler, Reasons.KILL); // no terminate: the runtime closes the socket as the handler exits
            victim.setSoTimeout((int) WAIT.toMillis());
            assertThat(victim.getInputStream().read()).as("the killed handler's socket is closed").isEqualTo(-1);
            awaitConnections("killed", 0);
        }
    }

    /** Answers any packet with {@link #BULK} bytes, far more than the kernel's buffers hold, then tells its probe. */
    static final class Bulk extends io.ergon.gen.GenServer {
        static final int BULK = 8 << 20;
        private final TcpSocket socket;
        private final io.ergon.term.Pid probe;

        Bulk(TcpSocket socket, io.ergon.term.Pid probe) {
            this.socket = socket;
            this.probe = probe;
        }

        @Override
        protected void init() {
            socket.setActive(Active.once());
        }

        @Override
        protected void handleInfo(Object message) {
            if (message instanceof TcpData) {
                byte[] chunk = new byte[64 * 1024];
                for (int sent = 0; sent < BULK; sent += chunk.length) {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = (byte) (sent + i);
                    }
                    socket.send(chunk);
                }
                send(probe, "sent");
            }
        }
    }

    @Test
    void aSendLargerThanTheKernelsBuffersWaitsForTheClientAndArrivesWhole() throws Exception {
        try (Mailbox probe = node.mailbox()) {
            int port = startServer(TcpServerSpec.of("bulk", 0, s -> new Bulk(s, probe.pid())));
            try (Socket client = new Socket()) {
                // a small window: the client takes the bytes in small reads, so the server's writes outrun them
                client.setReceiveBufferSize(4096);
                client.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                client.setSoTimeout((int) WAIT.toMillis());
                client.getOutputStream().write(1);
                DataInputStream in = new DataInputStream(client.getInputStream());
                byte[] got = new byte[Bulk.BULK];
                in.readFully(got);
                for (int i = 0; i < got.length; i++) {
                    if (got[i] != (byte) i) {
                        throw new AssertionError("byte " + i + " is " + got[i]);
                    }
                }
                assertThat(probe.receive(WAIT)).isEqualTo("sent");
            }
        }
    }

    @Test
    void aListenerStoppedAndStartedAgainListensOnTheSamePortAtOnce() throws Exception {
        int fixed = freePort();
        int port = startServer(TcpServerSpec.of("restarted", fixed, Handlers.Echo::new)
                .options(TcpOptions.defaults().packet(Packet.length(2))));
        assertThat(port).isEqualTo(fixed);
        io.ergon.gen.SupervisorClient server = io.ergon.gen.Supervisor.client(node, "restarted");
        try (Socket before = new Socket(InetAddress.getLoopbackAddress(), port)) {
            writePacket2(before, "accepted"); // taken from the backlog, which the listening socket's close resets
            assertThat(readPacket2(before)).isEqualTo("accepted");
            for (int i = 0; i < 20; i++) {
                // the stopped listener's socket must be closed for good when its stop returns, else the bind fails
                server.terminateChild("listener");
                assertThat(server.restartChild("listener")).isPresent();
            }
            writePacket2(before, "kept");
            assertThat(readPacket2(before)).as("a connection outlives its listener").isEqualTo("kept");
            try (Socket after = new Socket(InetAddress.getLoopbackAddress(), port)) {
                writePacket2(after, "new");
                assertThat(readPacket2(after)).isEqualTo("new");
            }
        }
    }

    @Test
    void aKilledListenerClosesItsSocketAndTheOneRestartedListensOnTheSamePort() throws Exception {
        int fixed = freePort();
        int port = startServer(TcpServerSpec.of("killed", fixed, Handlers.Echo::new)
                .options(TcpOptions.defaults().packet(Packet.length(2))));
        for (int i = 0; i < 5; i++) {
            io.ergon.term.Pid listener = node.whereis(TcpServer.listenerName("killed"));
            node.exit(listener, io.ergon.node.Reasons.KILL); // no terminate: only its port process closes the socket
            Awaitility.await().atMost(WAIT).until(() -> {
                io.ergon.term.Pid now = node.whereis(TcpServer.listenerName("killed"));
                return now != null && !now.equals(listener);
            });
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                writePacket2(client, "after kill " + i);
                assertThat(readPacket2(client)).isEqualTo("after kill " + i);
            }
        }
        assertThat(TcpServer.port(node, "killed")).isEqualTo(fixed);
    }

    @Test
    void aClientGoneMidPacketEndsWithClosedAndNoPartialData() throws Exception {
        try (Mailbox probe = node.mailbox()) {
            int port = startServer(TcpServerSpec.of("partial", 0, s -> new Handlers.Forward(s, probe.pid()))
                    .options(TcpOptions.defaults().packet(Packet.length(4))));
            Handlers.Started started;
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                started = (Handlers.Started) probe.receive(m -> m instanceof Handlers.Started, WAIT);
                started.socket().setActive(Active.always());
                DataOutputStream out = new DataOutputStream(client.getOutputStream());
                out.writeInt(5);
                out.write("whole".getBytes(StandardCharsets.US_ASCII));
                out.writeInt(1000);
                out.write(new byte[10]);
                out.flush();
                TcpData whole = (TcpData) probe.receive(m -> m instanceof TcpData, WAIT);
                assertThat(whole.text()).isEqualTo("whole");
            }
            Object next = probe.receive(m -> m instanceof TcpData || m instanceof TcpClosed, WAIT);
            assertThat(next).isEqualTo(new TcpClosed(started.socket()));
            assertThat(started.socket().isOpen()).isFalse();
        }
    }

    @Test
    void activeNDeliversNPacketsThenPassive() throws Exception {
        try (Mailbox probe = node.mailbox()) {
            int port = startServer(TcpServerSpec.of("counted", 0, s -> new Handlers.Forward(s, probe.pid()))
                    .options(TcpOptions.defaults().packet(Packet.length(1))));
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                TcpSocket socket = ((Handlers.Started) probe.receive(m -> m instanceof Handlers.Started, WAIT))
                        .socket();
                for (int i = 0; i < 5; i++) {
                    client.getOutputStream().write(new byte[] {1, (byte) i});
                }
                socket.setActive(Active.times(3));
                for (int i = 0; i < 3; i++) {
                    assertThat(((TcpData) probe.receive(WAIT)).data()).containsExactly(i);
                }
                assertThat(probe.receive(WAIT)).isEqualTo(new TcpPassive(socket));
                assertThat(probe.receive(Duration.ofMillis(100))).as("nothing while passive").isNull();
                assertThat(socket.recv(WAIT)).containsExactly(3);
                socket.setActive(Active.times(0));
                assertThat(probe.receive(WAIT)).as("a count of 0").isEqualTo(new TcpPassive(socket));
                socket.setActive(Active.times(-3));
                assertThat(probe.receive(WAIT)).as("a count below 0").isEqualTo(new TcpPassive(socket));
                socket.setActive(Active.once());
                assertThat(((TcpData) probe.receive(WAIT)).data()).containsExactly(4);
            }
        }
    }

    @Test
    void stoppingTheServerStopsListeningThenClosesEveryConnection() throws Exception {
        int port = startServer(TcpServerSpec.of("stopping", 0, Handlers.Echo::new));
        try (Socket a = new Socket(InetAddress.getLoopbackAddress(), port);
             Socket b = new Socket(InetAddress.getLoopbackAddress(), port)) {
            awaitConnections("stopping", 2);
            TcpServer.stop(node, "stopping");
            a.setSoTimeout((int) WAIT.toMillis());
            b.setSoTimeout((int) WAIT.toMillis());
            assertThat(a.getInputStream().read()).isEqualTo(-1);
            assertThat(b.getInputStream().read()).isEqualTo(-1);
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aPassiveSocketReadsOnlyWhenAskedAndTimesOut() throws Exception {
        try (Mailbox probe = node.mailbox()) {
            int port = startServer(TcpServerSpec.of("passive", 0, s -> new Handlers.Forward(s, probe.pid())));
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                TcpSocket socket = ((Handlers.Started) probe.receive(m -> m instanceof Handlers.Started, WAIT))
                        .socket();
                assertThatThrownBy(() -> socket.recv(Duration.ofMillis(50)))
                        .isInstanceOfSatisfying(IoError.class, e -> assertThat(e.reason()).isEqualTo(IoError.TIMEOUT));
                client.getOutputStream().write("abcdef".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(socket.recv(4, WAIT), StandardCharsets.US_ASCII)).isEqualTo("abcd");
                assertThat(new String(socket.recv(2, WAIT), StandardCharsets.US_ASCII)).isEqualTo("ef");
                socket.setActive(Active.once());
                assertThatThrownBy(() -> socket.recv(WAIT))
                        .isInstanceOfSatisfying(IoError.class, e -> assertThat(e.reason()).isEqualTo(IoError.EINVAL));
                socket.setActive(Active.passive());
                client.shutdownOutput();
                assertThatThrownBy(() -> socket.recv(WAIT))
                        .isInstanceOfSatisfying(IoError.class, e -> assertThat(e.reason()).isEqualTo(IoError.CLOSED));
                assertThat(socket.isOpen()).isFalse();
            }
        }
    }

    private void awaitConnections(String server, int count) {
        Awaitility.await().atMost(WAIT).until(() -> TcpServer.connections(node, server).size() == count);
    }

    static void writePacket2(Socket s, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(bytes.length);
        out.write(bytes);
        out.flush();
    }

    static String readPacket2(Socket s) throws IOException {
        s.setSoTimeout((int) WAIT.toMillis());
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] bytes = new byte[in.readUnsignedShort()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            line.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return line.toString();
    }
}
