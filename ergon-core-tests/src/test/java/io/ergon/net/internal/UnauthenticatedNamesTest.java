package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.net.EpmdServer;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Node names from peers that have not proved the cookie never reach the atom table (issue 19: a million handshakes
 * with unique names filled it, and every new peer was refused until a restart). A byte-level peer sends
 * {@code send_name} with a fresh name, reads the status, and goes; then one with the cookie connects, whose name
 * does enter the table.
 */
class UnauthenticatedNamesTest {
    private static final int HANDSHAKES = 500;

    @Test
    @Timeout(120)
    void strangersNamesStayOutOfTheAtomTableAndAnAuthenticatedOneGetsIn() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            NodeOptions options = NodeOptions.defaults().distributed(true).cookie("secret")
                    .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress());
            try (Node target = Node.start("atoms_target@localhost", options)) {
                String prefix = "stranger" + System.nanoTime() + "_";
                int before = Atom.count();
                for (int i = 0; i < HANDSHAKES; i++) {
                    assertThat(sendName(target.port(), prefix + i + "@localhost")).isEqualTo("ok");
                }
                assertThat(Atom.count() - before).as("atoms made by %d strangers' handshakes", HANDSHAKES)
                        .isLessThan(10);
                try (Node friend = Node.start(prefix + "friend@localhost", options)) {
                    assertThat(friend.ping("atoms_target@localhost")).isTrue();
                    assertThat(target.nodes()).singleElement()
                            .satisfies(n -> assertThat(n).isSameAs(Atom.of(prefix + "friend@localhost")));
                }
            }
        }
    }

    /** Sends OTP 23+'s {@code send_name} as {@code name}, returns the status the node answers, and hangs up. */
    private static String sendName(int port, String name) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(b);
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            d.writeByte('N');
            d.writeLong(DistFlags.OFFERED | DistFlags.PUBLISHED);
            d.writeInt(1);
            d.writeShort(bytes.length);
            d.write(bytes);
            Handshake.write(new DataOutputStream(s.getOutputStream()), b.toByteArray());
            return new String(Handshake.read(new DataInputStream(s.getInputStream())), StandardCharsets.US_ASCII)
                    .substring(1);
        }
    }
}
