package io.ergon.io.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.io.Active;
import io.ergon.io.IoError;
import io.ergon.io.Packet;
import io.ergon.node.Actor;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Outgoing connections owned by processes, against a plain {@link ServerSocket} peer. */
class TcpSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Node node;
    private ServerSocket peer;

    @BeforeEach
    void start() throws Exception {
        node = Node.start("tcp_socket_test@localhost");
        peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        peer.setSoTimeout((int) WAIT.toMillis());
    }

    @AfterEach
    void stop() throws Exception {
        peer.close();
        node.close();
    }

    private TcpSocket connect(Mailbox owner, TcpOptions options) {
        return TcpSocket.connect(owner, "127.0.0.1", peer.getLocalPort(), options, WAIT);
    }

    @Test
    void anOutgoingConnectionDeliversToItsOwnerAndSendsFramed() throws Exception {
        try (Mailbox owner = node.mailbox()) {
            TcpSocket socket = connect(owner, TcpOptions.defaults().packet(Packet.length(4)).active(Active.once()));
            try (Socket server = peer.accept()) {
                socket.send("ping");
                DataInputStream in = new DataInputStream(server.getInputStream());
                assertThat(in.readInt()).isEqualTo(4);
                assertThat(new String(in.readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("ping");
                DataOutputStream out = new DataOutputStream(server.getOutputStream());
                out.writeInt(4);
                out.write("pong".getBytes(StandardCharsets.UTF_8));
                out.writeInt(2);
                out.write("hi".getBytes(StandardCharsets.UTF_8));
                out.flush();
                TcpData data = (TcpData) owner.receive(WAIT);
                assertThat(data.socket()).isSameAs(socket);
                assertThat(data.text()).isEqualTo("pong");
                assertThat(owner.receive(Duration.ofMillis(100))).as("once: one packet, then nothing").isNull();
                socket.setActive(Active.once());
                assertThat(((TcpData) owner.receive(WAIT)).text()).isEqualTo("hi");
                socket.setActive(Active.once());
            }
            assertThat(owner.receive(WAIT)).isEqualTo(new TcpClosed(socket));
            assertThat(socket.isOpen()).isFalse();
            assertThatThrownBy(() -> socket.send("late"))
                    .isInstanceOfSatisfying(IoError.class, e -> assertThat(e.reason()).isEqualTo(IoError.CLOSED));
        }
    }

    /** Connects in its init and does nothing else. */
    static final class Holder extends Actor {
        private final int port;

        Holder(int port) {
            this.port = port;
        }

        @Override
        protected void init() {
            TcpSocket.connect(context(), "127.0.0.1", port, TcpOptions.defaults(), WAIT);
        }
    }

    @Test
    void theOwnersExitClosesTheSocket() throws Exception {
        Pid holder = node.spawn(() -> new Holder(peer.getLocalPort()));
        try (Socket server = peer.accept()) {
            node.exit(holder, Reasons.KILL);
            assertThat(server.getInputStream().read()).as("the killed owner's socket closed").isEqualTo(-1);
        }
    }

    @Test
    void theSocketsPortProcessIsLinkedToTheOwnerAndEndsWithTheSocket() throws Exception {
        try (Mailbox owner = node.mailbox()) {
            owner.trapExit(true);
            TcpSocket socket = connect(owner, TcpOptions.defaults());
            assertThat(node.info(socket.port()).links()).containsExactly(owner.pid());
            socket.close();
            Object exit = owner.receive(WAIT);
            assertThat(exit).isEqualTo(new io.ergon.node.Exit(socket.port(), Reasons.NORMAL));
            try (Socket server = peer.accept()) {
                assertThat(server.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void aSocketHandedToAnotherProcessOutlivesItsFirstOwner() throws Exception {
        Mailbox first = node.mailbox();
        try (Mailbox second = node.mailbox()) {
            TcpSocket socket = connect(first, TcpOptions.defaults());
            socket.controllingProcess(first, second.pid());
            first.close(Reasons.KILL);
            Awaitility.await().atMost(WAIT).until(() -> node.info(socket.port()).links().equals(
                    java.util.List.of(second.pid())));
            try (Socket server = peer.accept()) {
                server.getOutputStream().write("to the second".getBytes(StandardCharsets.UTF_8));
                socket.setActive(Active.once());
                assertThat(((TcpData) second.receive(WAIT)).text()).isEqualTo("to the second");
                assertThat(socket.isOpen()).isTrue();
                second.close(Reasons.KILL);
                assertThat(server.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void aSocketHandedToAProcessGoneFailsWithBadargAndStaysWithItsOwner() throws Exception {
        Mailbox gone = node.mailbox();
        gone.close();
        try (Mailbox owner = node.mailbox()) {
            TcpSocket socket = connect(owner, TcpOptions.defaults());
            assertThatThrownBy(() -> socket.controllingProcess(owner, gone.pid()))
                    .isInstanceOfSatisfying(IoError.class, e -> assertThat(e.reason()).isEqualTo(Atom.of("badarg")));
            assertThat(socket.owner()).isEqualTo(owner.pid());
            try (Socket server = peer.accept()) {
                server.getOutputStream().write("still mine".getBytes(StandardCharsets.UTF_8));
                socket.setActive(Active.once());
                assertThat(((TcpData) owner.receive(WAIT)).text()).isEqualTo("still mine");
                owner.close(Reasons.KILL);
                assertThat(server.getInputStream().read()).as("closed with its owner").isEqualTo(-1);
            }
        }
    }

    @Test
    void aSocketsFirstOwnerKilledAfterAHandOverLeavesItOpenAndItsNewOwnersExitClosesIt() throws Exception {
        Mailbox first = node.mailbox();
        Mailbox second = node.mailbox();
        TcpSocket socket = connect(first, TcpOptions.defaults());
        try (Socket server = peer.accept()) {
            socket.controllingProcess(first, second.pid());
            first.close(Reasons.KILL);
            assertThat(socket.isOpen()).as("the old owner's exit no longer concerns it").isTrue();
            server.getOutputStream().write("to the second".getBytes(StandardCharsets.UTF_8));
            socket.setActive(Active.once());
            assertThat(((TcpData) second.receive(WAIT)).text()).isEqualTo("to the second");
            second.close(Reasons.KILL);
            assertThat(socket.isOpen()).as("closed as its owner exited, before close returned").isFalse();
            server.setSoTimeout((int) WAIT.toMillis());
            assertThat(server.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aPortAskedForOnlyAfterTheCloseIsAProcessThatHasEnded() throws Exception {
        try (Mailbox owner = node.mailbox()) {
            int before = node.processCount();
            TcpSocket socket = connect(owner, TcpOptions.defaults());
            assertThat(node.processCount()).as("no port process until asked for").isEqualTo(before);
            socket.close();
            Pid port = socket.port();
            assertThat(port).isNotNull();
            assertThat(node.isAlive(port)).isFalse();
            assertThat(socket.port()).as("the same pid each time").isEqualTo(port);
        }
    }

    @Test
    void aRefusedConnectionFailsWithEconnrefused() throws Exception {
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
        try (Mailbox owner = node.mailbox()) {
            assertThatThrownBy(() -> TcpSocket.connect(owner, "127.0.0.1", closedPort, TcpOptions.defaults(), WAIT))
                    .isInstanceOfSatisfying(IoError.class,
                            e -> assertThat(e.reason()).isEqualTo(IoError.ECONNREFUSED));
        }
    }
}
