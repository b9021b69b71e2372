package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.etf.EtfEncoder;
import io.ergon.net.EpmdServer;
import io.ergon.node.Actor;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.spi.InboundMessage;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Inbound backpressure on a real connection: a peer at the byte level (its side of the handshake, then SEND frames of
 * 2 KB messages as fast as its socket takes them) against a node whose process does not take them. The node's reader
 * stops past the connection's limit and the peer's writes block; messages taken bring it back at half the limit,
 * each giving back exactly its cost; a process that dies with its mailbox (or its save queue) full gives everything
 * back; messages for nobody are given back at once; and a pause longer than net_ticktime does not make the peer
 * dead, while a peer that stays silent once the reader reads again still is.
 */
class InboundBackpressureTest {
    private static final long LIMIT = 256 * 1024;
    private static final int PAYLOAD = 2048;
    private static final String COOKIE = "inbound";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private EpmdServer epmd;
    private Node node;
    private Peer peer;

    @BeforeEach
    void start() throws IOException {
        epmd = EpmdServer.start(LOOPBACK, 0);
    }

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        if (node != null) {
            node.close();
        }
        epmd.close();
    }

    private Node startNode(String name, Duration netTickTime) {
        node = Node.start(name + "@localhost", NodeOptions.defaults().distributed(true).cookie(COOKIE)
                .epmdPort(epmd.port()).listenAddress(LOOPBACK).netTickTime(netTickTime)
                .distConnectionInboundLimit(LIMIT).distInboundLimit(4 * LIMIT));
        return node;
    }


    private InboundBacklog.Account account() {
        Connection c = DistributionOf.node(node).connections().get(peer.name);
        assertThat(c).as("the peer's connection").isNotNull();
        return c.inboundBacklog();
    }

    private InboundBacklog backlog() {
        return DistributionOf.node(node).inboundBacklog();
    }

    /** Waits until the peer's writes have stalled: nothing more got out in half a second. */
    private void awaitStalled() {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            long before = peer.sent.get();
            Thread.sleep(500); // the quiet period is the measure of a stall
            return before > 0 && peer.sent.get() == before;
        });
    }

    @Test
    @Timeout(60)
    void theReaderPausesPastTheLimitResumesAtHalfAndEachTakenMessageGivesBackItsCost() throws Exception {
        startNode("inbound_take", Duration.ofSeconds(60));
        Mailbox sink = node.mailbox("sink");
        peer = Peer.connect("flooder1@localhost", node);
        peer.flood(sink.pid(), 20_000); // 40 MB if nothing held it back
        awaitStalled();
        InboundBacklog.Account a = account();
        assertThat(a.paused()).isTrue();
        // past the limit by less than what the reader charges between two looks, and a message
        assertThat(a.bytes()).isGreaterThan(LIMIT)
                .isLessThanOrEqualTo(LIMIT + backlog().checkBytes() + cost(sink.pid(), 0));
        assertThat(backlog().bytes()).isEqualTo(a.bytes());
        assertThat(peer.sent.get() * PAYLOAD).as("what the peer got out: the limit and the sockets' buffers")
                .isLessThan(20L << 20);
        long expected = 0;
        long before = a.bytes();
        // each take gives back exactly its message's cost, and the reader stays paused while above half the limit
        while (before - cost(sink.pid(), expected) > LIMIT / 2) {
            assertThat(a.paused()).as("paused while above half the limit").isTrue();
            Tuple m = (Tuple) sink.receive(Duration.ofSeconds(5));
            assertThat(m).isNotNull();
            assertThat(m.get(1)).as("in order").isEqualTo(expected);
            long after = a.bytes();
            assertThat(before - after).as("message %d's cost given back", expected).isEqualTo(cost(sink.pid(),
                    expected));
            expected++;
            before = after;
        }
        assertThat(a.paused()).isTrue();
        // the take that brings it down to half wakes the reader
        long pausesBefore = a.pauses();
        assertThat(((Tuple) sink.receive(Duration.ofSeconds(5))).get(1)).isEqualTo(expected++);
        // the reader reads on, up to the limit again, and stops again
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> a.pauses() > pausesBefore);
        assertThat(a.bytes()).isGreaterThan(LIMIT);
        // and takes the rest in order as it is taken, to the end
        long total = peer.total;
        while (expected < total) {
            Tuple m = (Tuple) sink.receive(Duration.ofSeconds(10));
            assertThat(m).as("message %d of %d", expected, total).isNotNull();
            assertThat(m.get(1)).isEqualTo(expected++);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> backlog().bytes() == 0);
        assertThat(node.nodes()).contains(peer.name);
    }

    @Test
    @Timeout(60)
    void whatADeadProcessLeftInItsMailboxAndSaveQueueIsGivenBackAndSoIsWhatGoesToNobody() throws Exception {
        startNode("inbound_death", Duration.ofSeconds(60));
        // a process that waits for a message that never comes: the flood goes to its save queue, still charged
        Pid waiter = node.spawn(() -> new Actor() {
            @Override
            protected void init() {
                send(self(), "wait");
            }

            @Override
            protected void handleMessage(Object message) {
                receive(m -> m.equals("never"), Duration.ofMinutes(1));
            }
        });
        peer = Peer.connect("flooder2@localhost", node);
        peer.flood(waiter, 20_000);
        awaitStalled();
        InboundBacklog.Account a = account();
        assertThat(a.paused()).isTrue();
        assertThat(a.bytes()).isGreaterThan(LIMIT);
        assertThat(node.info(waiter).messageQueueLength()).as("most of it passed over, into the save queue")
                .isGreaterThan(50);
        node.exit(waiter, io.ergon.node.Reasons.KILL);
        // everything it held is given back; the rest of the flood goes to a dead pid and is given back at once
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> peer.sent.get() == peer.total);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> backlog().bytes() == 0);
        assertThat(a.paused()).isFalse();
        // to a name nobody has: given back at once too
        peer.flood(Atom.of("nobody"), 5_000);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> peer.sent.get() == peer.total);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> backlog().bytes() == 0);
        assertThat(node.nodes()).contains(peer.name);
    }

    @Test
    @Timeout(60)
    void aPauseLongerThanNetTicktimeIsNotADeadPeerButSilenceAfterItIs() throws Exception {
        Duration tick = Duration.ofSeconds(2);
        startNode("inbound_tick", tick);
        Mailbox sink = node.mailbox("sink");
        peer = Peer.connect("flooder3@localhost", node); // it never ticks: only its messages keep it alive
        peer.flood(sink.pid(), 20_000);
        awaitStalled();
        InboundBacklog.Account a = account();
        assertThat(a.paused()).isTrue();
        Thread.sleep(tick.toMillis() * 2 + 500); // the point: twice net_ticktime of real time while paused
        assertThat(node.nodes()).as("still connected after a pause of twice net_ticktime").contains(peer.name);
        // take everything: the reader reads on to the end of the flood, then hears nothing more
        long total = peer.total;
        for (long i = 0; i < total; i++) {
            assertThat(sink.receive(Duration.ofSeconds(10))).as("message %d of %d", i, total).isNotNull();
        }
        long quiet = System.nanoTime();
        Awaitility.await().atMost(tick.multipliedBy(3)).until(() -> !node.nodes().contains(peer.name));
        assertThat(Duration.ofNanos(System.nanoTime() - quiet)).as("found dead after about net_ticktime")
                .isGreaterThanOrEqualTo(tick.dividedBy(2));
    }

    /**
     * The other side: a node at the byte level. It completes the handshake (so it knows the cookie), then writes SEND
     * or REG_SEND frames with {@code {msg, I, <<2048 bytes>>}} from a thread of its own, as fast as its socket takes
     * them; it never ticks and never reads.
     */
    static final class Peer implements AutoCloseable {
        final Atom name;
        private final Socket socket;
        private final DataOutputStream out;
        final AtomicLong sent = new AtomicLong();
        volatile long total;
        private Thread writer;

        private Peer(Atom name, Socket socket, DataOutputStream out) {
            this.name = name;
            this.socket = socket;
            this.out = out;
        }

        static Peer connect(String name, Node node) throws IOException {
            Socket s = new Socket(LOOPBACK, node.port());
            s.setSendBufferSize(64 * 1024);
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 64 * 1024));
            Atom atom = Atom.of(name);
            Handshake.initiate(in, out, new Handshake.Local(atom, DistFlags.OFFERED, 7, COOKIE), node.name());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> node.nodes().contains(atom));
            return new Peer(atom, s, out);
        }

        /** Sends {@code count} more messages to {@code to} (a pid, or a registered name) on a thread of its own. */
        void flood(Object to, long count) throws InterruptedException {
            if (writer != null) {
                writer.join(30_000);
            }
            long from = total;
            total = from + count;
            EtfEncoder encoder = new EtfEncoder();
            Binary payload = Binary.of(new byte[PAYLOAD]);
            Pid self = new Pid(name, 1, 0, 7);
            writer = Thread.ofPlatform().daemon().name("inbound-test-peer").start(() -> {
                try {
                    for (long i = from; i < from + count; i++) {
                        Tuple control = to instanceof Pid p ? Tuple.of((long) Control.SEND, Atom.of(""), p)
                                : Tuple.of((long) Control.REG_SEND, self, Atom.of(""), to);
                        byte[] c = encoder.encode(control);
                        byte[] m = encoder.encode(Tuple.of(Atom.of("msg"), i, payload));
                        // 131, 68, 0 (no atom cache refs), then both terms without their version bytes
                        out.writeInt(3 + c.length - 1 + m.length - 1);
                        out.write(new byte[] {(byte) 131, 68, 0});
                        out.write(c, 1, c.length - 1);
                        out.write(m, 1, m.length - 1);
                        if (i % 16 == 15 || i == from + count - 1) {
                            out.flush();
                            sent.set(i + 1);
                        }
                    }
                } catch (IOException e) {
                    // closed by the test
                }
            });
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            if (writer != null) {
                try {
                    writer.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** What message {@code i} of a flood to a pid costs: its control and payload as encoded, and the overhead. */
    private static long cost(Pid to, long i) {
        EtfEncoder e = new EtfEncoder();
        byte[] c = e.encode(Tuple.of((long) Control.SEND, Atom.of(""), to));
        byte[] m = e.encode(Tuple.of(Atom.of("msg"), i, Binary.of(new byte[PAYLOAD])));
        return (c.length - 1) + (m.length - 1) + InboundMessage.OVERHEAD;
    }
}
