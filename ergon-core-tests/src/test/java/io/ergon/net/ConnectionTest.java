package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.net.internal.DistFlags;
import io.ergon.net.internal.Distribution;
import io.ergon.net.internal.Handshake;
import io.ergon.node.Actor;
import io.ergon.node.CallException;
import io.ergon.node.Down;
import io.ergon.node.Exit;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeDown;
import io.ergon.node.NodeOptions;
import io.ergon.node.NodeUp;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import io.ergon.testkit.LogCapture;
import io.ergon.testing.TestAgent;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Handshakes, bad peers, node up and down between Ergon nodes in this JVM. */
class ConnectionTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static EpmdServer epmd;

    @BeforeAll
    static void epmd() throws Exception {
        epmd = EpmdServer.start(LOOPBACK, 0);
    }

    @AfterAll
    static void stopEpmd() {
        epmd.close();
    }

    static NodeOptions options(String cookie) {
        return NodeOptions.defaults().distributed(true).cookie(cookie).epmdPort(epmd.port()).listenAddress(LOOPBACK);
    }

    @Test
    void aWrongCookieIsRefusedAndLoggedOnBothSides() {
        try (LogCapture log = LogCapture.of(Distribution.class);
             Node a = Node.start("cookie_a@localhost", options("one"));
             Node b = Node.start("cookie_b@localhost", options("two"))) {
            assertThat(a.connect("cookie_b@localhost")).isFalse();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                    log.contains("cookie_b@localhost: refused a connection")
                            && log.contains("invalid challenge reply (the cookies differ)")
                            && log.contains("cookie_a@localhost: connection to cookie_b@localhost failed"));
            assertThat(a.nodes()).isEmpty();
            assertThat(b.nodes()).isEmpty();
            // both nodes keep running
            try (Node c = Node.start("cookie_c@localhost", options("two"))) {
                assertThat(c.ping("cookie_b@localhost")).isTrue();
            }
        }
    }

    @Test
    void aPeerWithoutTheRequiredFlagsIsRefused() throws Exception {
        try (LogCapture log = LogCapture.of(Distribution.class);
             Node a = Node.start("flags_a@localhost", options("f"));
             Socket s = new Socket(LOOPBACK, a.port())) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            long flags = DistFlags.MANDATORY & ~DistFlags.UNLINK_ID & ~DistFlags.V4_NC;
            byte[] name = "old_node@localhost".getBytes();
            out.writeShort(1 + 8 + 4 + 2 + name.length);
            out.writeByte('N');
            out.writeLong(flags);
            out.writeInt(1);
            out.writeShort(name.length);
            out.write(name);
            out.flush();
            byte[] status = new byte[in.readUnsignedShort()];
            in.readFully(status);
            assertThat(new String(status)).isEqualTo("snot_allowed");
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> log.contains("lacks the required capabilities [UNLINK_ID, V4_NC]"));
        }
    }

    @Test
    void malformedFramesCloseOnlyThatConnection() throws Exception {
        try (LogCapture log = LogCapture.of(io.ergon.net.internal.Distribution.class);
             Node a = Node.start("frames_a@localhost", options("fr"));
             Node b = Node.start("frames_b@localhost", options("fr"));
             Mailbox box = a.mailbox("frames_box")) {
            a.spawnRegister("echo", TestAgent.Echo::new);
            assertThat(b.ping("frames_a@localhost")).isTrue();
            byte[][] garbage = {
                {(byte) 131, 68, 0, (byte) 0xff, 1, 2},                       // no such tag
                {112, (byte) 131, 104, 3, 97, 2},                             // truncated control tuple
                {(byte) 131, 68, 5, 1, 2, 3},                                 // atom cache refs, never negotiated
                {7, 7, 7},                                                    // not a frame at all
                {(byte) 131, 68, 0, 104, 1, 100, 0, 1, 120},                  // control is not {Op, ...}
            };
            for (byte[] frame : garbage) {
                try (Socket s = handshake(a, "rogue@localhost", "fr")) {
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeInt(frame.length);
                    out.write(frame);
                    out.flush();
                    assertThat(s.getInputStream().read()).isEqualTo(-1); // a closed the connection
                }
            }
            try (Socket s = handshake(a, "huge@localhost", "fr")) {
                new DataOutputStream(s.getOutputStream()).writeInt(Integer.MAX_VALUE);
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            try {
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> log.messages().stream()
                        .filter(m -> m.contains("is down: protocol error")).count() == garbage.length + 1);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("logged: " + log.messages(), e);
            }
            // the other connection and the local processes carry on
            b.send(Name.of("frames_box", "frames_a@localhost"), Atom.of("still_here"));
            assertThat(box.receive(Duration.ofSeconds(10))).isEqualTo(Atom.of("still_here"));
            Object reply = b.call(Name.of("echo", "frames_a@localhost"), Atom.of("ping"), Duration.ofSeconds(10));
            assertThat(reply).isEqualTo(Atom.of("ping"));
        }
    }

    /** A raw socket that completed the handshake with {@code node} as {@code name}. */
    private static Socket handshake(Node node, String name, String cookie) throws Exception {
        Socket s = new Socket(LOOPBACK, node.port());
        s.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
        Handshake.initiate(in, out, new Handshake.Local(Atom.of(name), DistFlags.OFFERED, 77, cookie), node.name());
        return s;
    }

    /**
     * Hidden nodes: this is about the connection layer. Between visible nodes, global's exchange is under way for the
     * first few hundred milliseconds of a connection, and a call its locker makes just as the connection is dropped
     * connects the nodes again, as an OTP node's locker does.
     */
    @Test
    void simultaneousConnectsEndInOneConnection() throws Exception {
        try (Node a = Node.start("simul_a@localhost", options("s").hidden(true));
             Node b = Node.start("simul_b@localhost", options("s").hidden(true));
             Mailbox boxA = a.mailbox("box"); Mailbox boxB = b.mailbox("box")) {
            for (int round = 0; round < 10; round++) {
                CountDownLatch go = new CountDownLatch(1);
                Thread t1 = Thread.ofVirtual().start(() -> {
                    await(go);
                    a.connect("simul_b@localhost");
                });
                Thread t2 = Thread.ofVirtual().start(() -> {
                    await(go);
                    b.connect("simul_a@localhost");
                });
                go.countDown();
                t1.join();
                t2.join();
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                        a.nodes().contains(Atom.of("simul_b@localhost")) && b.nodes().contains(Atom.of("simul_a@localhost")));
                a.send(Name.of("box", "simul_b@localhost"), (long) round);
                b.send(Name.of("box", "simul_a@localhost"), (long) round);
                assertThat(boxB.receive(Duration.ofSeconds(10))).isEqualTo((long) round);
                assertThat(boxA.receive(Duration.ofSeconds(10))).isEqualTo((long) round);
                Disconnection.drop(a, b);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void nodeEventsConnectDisconnectAndNodeMonitors() {
        try (Node a = Node.start("events_a@localhost", options("e"));
             Node b = Node.start("events_b@localhost", options("e"));
             Mailbox watcher = a.mailbox()) {
            a.watchNodes(watcher.pid(), true);
            assertThat(a.connect("events_b@localhost")).isTrue();
            assertThat(watcher.receive(Duration.ofSeconds(10))).isEqualTo(new NodeUp(Atom.of("events_b@localhost")));
            assertThat(a.nodes()).containsExactly(Atom.of("events_b@localhost"));
            try (Mailbox single = a.mailbox()) {
                a.monitorNode(single.pid(), "events_b@localhost");
                assertThat(b.disconnect("events_a@localhost")).isTrue();
                assertThat(single.receive(Duration.ofSeconds(10))).isInstanceOf(NodeDown.class);
                assertThat(watcher.receive(Duration.ofSeconds(10))).isInstanceOf(NodeDown.class);
                a.monitorNode(single.pid(), "nowhere@localhost");
                NodeDown down = (NodeDown) single.receive(Duration.ofSeconds(10));
                assertThat(down.node()).isEqualTo(Atom.of("nowhere@localhost"));
                assertThat(down.toTerm()).isEqualTo(Tuple.of(Atom.of("nodedown"), Atom.of("nowhere@localhost")));
            }
            assertThat(a.connect("nowhere@localhost")).isFalse();
            assertThat(a.disconnect("nowhere@localhost")).isFalse();
        }
    }

    @Test
    void whenANodeGoesLinksMonitorsAndCallsLearnAtOnce() throws Exception {
        Node b = Node.start("gone_b@localhost", options("g"));
        try (Node a = Node.start("gone_a@localhost", options("g"));
             Mailbox probe = a.mailbox()) {
            b.spawnRegister("sleeper", () -> new io.ergon.gen.GenServer() {
                @Override
                protected Object handleCall(Object request, io.ergon.node.From from) {
                    return noReply();
                }
            });
            Pid remote = b.spawnRegister("idle", () -> new Actor() { });
            probe.trapExit(true);
            probe.link(remote);
            probe.monitor(remote);
            probe.monitor(Name.of("idle", "gone_b@localhost"));
            Pid victim = a.spawn(() -> new Actor() {
                @Override
                protected void init() {
                    link(remote);
                }
            });
            Mailbox caller = a.mailbox();
            Thread call = Thread.ofVirtual().start(() -> {
                try {
                    caller.call(Name.of("sleeper", "gone_b@localhost"), "wait", Duration.ofSeconds(60));
                } catch (CallException e) {
                    probe.send(probe.pid(), Tuple.of(Atom.of("call_failed"), e.failure()));
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> b.info(b.whereis("sleeper")).monitoredBy().size() == 1
                    && b.info(remote).links().size() == 2);
            long t0 = System.nanoTime();
            // the connection breaks while both nodes live on (a graceful close would send 'shutdown' instead)
            b.disconnect("gone_a@localhost");
            Object exit = probe.receive(m -> m instanceof Exit, Duration.ofSeconds(10));
            assertThat(exit).isEqualTo(new Exit(remote, Reasons.NOCONNECTION));
            assertThat(((Down) probe.receive(m -> m instanceof Down d && d.item() instanceof Pid, Duration.ofSeconds(10))).reason())
                    .isEqualTo(Reasons.NOCONNECTION);
            assertThat(((Down) probe.receive(m -> m instanceof Down d && d.item() instanceof Name, Duration.ofSeconds(10))).reason())
                    .isEqualTo(Reasons.NOCONNECTION);
            Object failed = probe.receive(m -> m instanceof Tuple t && t.get(0).equals(Atom.of("call_failed")),
                    Duration.ofSeconds(10));
            assertThat(failed).isEqualTo(Tuple.of(Atom.of("call_failed"), Tuple.of(Atom.of("nodedown"),
                    Atom.of("gone_b@localhost"))));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !a.isAlive(victim));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            call.join(TimeUnit.SECONDS.toMillis(10));
            caller.close();
        } finally {
            b.close();
        }
    }
}
