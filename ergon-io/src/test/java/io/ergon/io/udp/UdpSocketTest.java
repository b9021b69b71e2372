package io.ergon.io.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.io.Active;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A UDP socket owned by a process, with a plain {@link DatagramSocket} as its peer on loopback. */
class UdpSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private Node node;
    private DatagramSocket peer;

    @BeforeEach
    void start() throws Exception {
        node = Node.start("udp_socket_test@localhost");
        peer = new DatagramSocket(0, LOOPBACK);
        peer.setSoTimeout((int) WAIT.toMillis());
    }

    @AfterEach
    void stop() {
        peer.close();
        node.close();
    }

    private void sendTo(UdpSocket socket, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        peer.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(LOOPBACK,
                socket.localAddress().getPort())));
    }

    private String receiveAtPeer() throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        peer.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void datagramsArriveAsMessagesOnePerTurnAndRepliesGoBack() throws Exception {
        try (Mailbox owner = node.mailbox()) {
            UdpSocket socket = UdpSocket.open(owner, LOOPBACK, 0, Active.once());
            sendTo(socket, "one");
            sendTo(socket, "two");
            UdpDatagram first = (UdpDatagram) owner.receive(WAIT);
            assertThat(first.text()).isEqualTo("one");
            assertThat(first.from()).isEqualTo(peer.getLocalSocketAddress());
            assertThat(owner.receive(Duration.ofMillis(100))).as("once: nothing more until asked").isNull();
            socket.setActive(Active.once());
            assertThat(((UdpDatagram) owner.receive(WAIT)).text()).isEqualTo("two");

            socket.send(first.from(), "reply".getBytes(StandardCharsets.UTF_8));
            assertThat(receiveAtPeer()).isEqualTo("reply");
            owner.send(socket.port(), new UdpSend(first.from(), "told".getBytes(StandardCharsets.UTF_8)));
            assertThat(receiveAtPeer()).isEqualTo("told");
        }
    }

    @Test
    void activeNEndsWithUdpPassive() throws Exception {
        try (Mailbox owner = node.mailbox()) {
            UdpSocket socket = UdpSocket.open(owner, LOOPBACK, 0, Active.times(2));
            for (int i = 0; i < 3; i++) {
                sendTo(socket, "d" + i);
            }
            assertThat(((UdpDatagram) owner.receive(WAIT)).text()).isEqualTo("d0");
            assertThat(((UdpDatagram) owner.receive(WAIT)).text()).isEqualTo("d1");
            assertThat(owner.receive(WAIT)).isEqualTo(new UdpPassive(socket));
            assertThat(owner.receive(Duration.ofMillis(100))).isNull();
            socket.setActive(Active.always());
            assertThat(((UdpDatagram) owner.receive(WAIT)).text()).isEqualTo("d2");
        }
    }

    @Test
    void theOwnersExitClosesTheSocket() {
        Mailbox owner = node.mailbox();
        UdpSocket socket = UdpSocket.open(owner, LOOPBACK, 0, Active.once());
        owner.close(Reasons.KILL);
        Awaitility.await().atMost(WAIT).until(() -> !socket.isOpen());
        Awaitility.await().atMost(WAIT).until(() -> !node.isAlive(socket.port()));
    }
}
