package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.net.EpmdServer;
import io.ergon.node.Actor;
import io.ergon.node.Down;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that claims the name of a node already connected, and answers {@code true} to {@code alive}, without the
 * cookie, must not cut the real node's connection: the old connection is replaced only once the newcomer has proved
 * the cookie, as OTP does (issue 19: Ergon dropped it in 1.1 s, firing every link and monitor with
 * {@code noconnection}). The attacker is a byte-level peer speaking the handshake of OTP 23+.
 */
class PreAuthTakeoverTest {
    static final class Sink extends Actor {
        @Override
        protected void handleMessage(Object message) {
        }
    }

    @Test
    @Timeout(60)
    void aPeerWithoutTheCookieCannotReplaceAConnectedNode() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            NodeOptions options = NodeOptions.defaults().distributed(true).cookie("the-real-cookie")
                    .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress());
            try (Node victim = Node.start("victim@localhost", options);
                 Node real = Node.start("real@localhost", options);
                 Mailbox watcher = victim.mailbox()) {
                real.spawnRegister("sink", Sink::new);
                assertThat(real.ping("victim@localhost")).isTrue();
                watcher.monitor(Name.of("sink", "real@localhost"));
                Pid realSink = real.whereis("sink");

                for (int attempt = 0; attempt < 3; attempt++) {
                    String status = claimTheNameWithoutTheCookie(victim.port(), "real@localhost");
                    assertThat(status).as("the victim answers a second connection from a connected node")
                            .isEqualTo("alive");
                }

                assertThat(watcher.receive(m -> m instanceof Down, Duration.ofMillis(1500)))
                        .as("no DOWN: the real node's connection was kept").isNull();
                assertThat(victim.nodes()).contains(Atom.of("real@localhost"));
                assertThat(victim.isAlive(watcher.pid())).isTrue();
                victim.send(realSink, "still connected");
                assertThat(real.ping("victim@localhost")).isTrue();
            }
        }
    }

    /**
     * The other side of the rule: a node that restarted (or lost its connection without the victim noticing) and
     * proves the cookie does replace the old connection, whose links and monitors then fire {@code noconnection}.
     */
    @Test
    @Timeout(60)
    void aPeerThatProvesTheCookieReplacesItsOldConnection() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            NodeOptions options = NodeOptions.defaults().distributed(true).cookie("the-real-cookie")
                    .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress());
            try (Node victim = Node.start("victim2@localhost", options);
                 Node real = Node.start("real2@localhost", options);
                 Mailbox watcher = victim.mailbox()) {
                real.spawnRegister("sink", Sink::new);
                assertThat(real.ping("victim2@localhost")).isTrue();
                watcher.monitor(Name.of("sink", "real2@localhost"));
                assertThat(claim(victim.port(), "real2@localhost", "the-real-cookie")).isEqualTo("alive");
                Object down = watcher.receive(m -> m instanceof Down, Duration.ofSeconds(5));
                assertThat(down).as("the old connection closed").isNotNull();
                assertThat(((Down) down).reason()).isEqualTo(Atom.of("noconnection"));
            }
        }
    }

    private static String claimTheNameWithoutTheCookie(int port, String name) throws IOException {
        return claim(port, name, null);
    }

    /**
     * Connects as {@code name}, answers {@code true} to {@code alive}, and replies to the challenge with the digest
     * of {@code cookie}, or with a guess if it is null (then the victim must close the connection).
     */
    private static String claim(int port, String name, String cookie) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(b);
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            d.writeByte('N');
            d.writeLong(DistFlags.OFFERED | DistFlags.PUBLISHED); // what an Ergon node offers
            d.writeInt(12345);
            d.writeShort(bytes.length);
            d.write(bytes);
            Handshake.write(out, b.toByteArray());
            String status = new String(Handshake.read(in), StandardCharsets.US_ASCII).substring(1);
            if (!status.equals("alive")) {
                return status;
            }
            Handshake.write(out, "strue".getBytes(StandardCharsets.US_ASCII));
            byte[] challenge = Handshake.read(in);
            assertThat(challenge[0]).as("the challenge").isEqualTo((byte) 'N');
            int theirChallenge = new DataInputStream(new java.io.ByteArrayInputStream(challenge, 9, 4)).readInt();
            b.reset();
            d.writeByte('r');
            d.writeInt(42);
            d.write(cookie == null ? new byte[16] : Handshake.digest(theirChallenge, cookie));
            Handshake.write(out, b.toByteArray());
            if (cookie != null) {
                byte[] ack = Handshake.read(in);
                assertThat(ack[0]).as("the victim's challenge ack").isEqualTo((byte) 'a');
                return status;
            }
            try {
                int next = in.read();
                assertThat(next).as("the victim closes on a wrong digest").isEqualTo(-1);
            } catch (IOException reset) {
                // closed as well
            }
            return status;
        }
    }
}
