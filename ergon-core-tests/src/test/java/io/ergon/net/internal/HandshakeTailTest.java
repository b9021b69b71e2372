package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.etf.Etf;
import io.ergon.net.EpmdClient;
import io.ergon.net.EpmdServer;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a peer sends right behind its handshake ack reaches the node. An acceptor that had messages queued for us
 * (an Erlang node whose own attempt lost a simultaneous connect, say) writes them in the same TCP segment as the
 * ack; the initiator's handshake read through a buffer, which swallowed them, and the connection's reader, reading
 * the socket afresh, never saw them: an OTP node's {@code global} lost its {@code in_sync} that way, and
 * {@code global:sync()} on the Ergon node never returned.
 */
class HandshakeTailTest {
    static final String COOKIE = "tail";

    @Test
    void aMessageInTheSameSegmentAsTheAckIsDelivered() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             ServerSocket listen = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             EpmdClient.Registration reg = new EpmdClient(InetAddress.getLoopbackAddress(), epmd.port())
                     .register("tailpeer", listen.getLocalPort(), false);
             Node node = Node.start("tailnode@localhost", NodeOptions.defaults().distributed(true).cookie(COOKIE)
                     .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()));
             Mailbox catcher = node.mailbox("catcher")) {
            Atom peer = Atom.of("tailpeer@localhost");
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> acceptAndSend(listen, peer,
                    reg.creation()));
            assertThat(node.connect(peer.name())).isTrue();
            try (Socket s = accepted.get(10, TimeUnit.SECONDS)) {
                assertThat(catcher.receive(Duration.ofSeconds(5))).as("the message behind the ack")
                        .isEqualTo(Tuple.of(Atom.of("behind"), Atom.of("the_ack")));
            }
        }
    }

    /** The acceptor's handshake, holding back its ack to write it together with a REG_SEND to {@code catcher}. */
    private static Socket acceptAndSend(ServerSocket listen, Atom peer, int creation) {
        try {
            Socket s = listen.accept();
            s.setTcpNoDelay(true);
            HoldTheAck held = new HoldTheAck(s.getOutputStream());
            long flags = DistFlags.OFFERED & ~DistFlags.FRAGMENTS | DistFlags.PUBLISHED;
            Handshake.accept(new DataInputStream(s.getInputStream()), new DataOutputStream(held),
                    new Handshake.Local(peer, flags, creation, COOKIE), new AlwaysOk());
            byte[] control = Etf.encode(Tuple.of(6L, new Pid(peer, 1, 0, creation), Atom.of(""),
                    Atom.of("catcher")));
            byte[] payload = Etf.encode(Tuple.of(Atom.of("behind"), Atom.of("the_ack")));
            ByteBuffer frame = ByteBuffer.allocate(4 + 1 + control.length + payload.length);
            frame.putInt(1 + control.length + payload.length).put((byte) 112).put(control).put(payload);
            ByteArrayOutputStream together = new ByteArrayOutputStream();
            together.write(held.ack);
            together.write(frame.array());
            s.getOutputStream().write(together.toByteArray()); // one write: one segment on loopback
            s.getOutputStream().flush();
            return s; // open until the test has looked: a closed peer could hide the message's loss
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Passes the handshake's messages through, except the ack ('a'), which it keeps. */
    private static final class HoldTheAck extends OutputStream {
        private final OutputStream out;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        byte[] ack;

        HoldTheAck(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            byte[] m = pending.toByteArray();
            pending.reset();
            if (m.length > 2 && m[2] == 'a') {
                ack = m;
            } else {
                out.write(m);
                out.flush();
            }
        }
    }

    private static final class AlwaysOk implements Handshake.Policy {
        @Override
        public Handshake.Verdict decide(Atom peer) {
            return Handshake.Verdict.OK;
        }

        @Override
        public void replaceExisting(Atom peer, boolean replace) {
        }

        @Override
        public void authenticated(Atom peer) {
        }
    }
}
