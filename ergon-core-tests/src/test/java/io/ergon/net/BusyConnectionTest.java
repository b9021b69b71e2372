package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.net.internal.DistFlags;
import io.ergon.net.internal.Handshake;
import io.ergon.node.Actor;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.NodeStats;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A peer that stops reading makes its connection busy: senders wait (Erlang's busy dist port), memory stays bounded. */
class BusyConnectionTest {
    @Test
    void aSenderWaitsWhileThePeerDoesNotReadAndGoesOnWhenTheConnectionCloses() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        long limit = 256 * 1024;
        try (EpmdServer epmd = EpmdServer.start(loopback, 0);
             Node node = Node.start("busy@localhost", NodeOptions.defaults().distributed(true).cookie("b")
                     .epmdPort(epmd.port()).listenAddress(loopback).distBufferBusyLimit(limit))) {
            // a peer that completes the handshake and then never reads a byte
            Socket peer = new Socket(loopback, node.port());
            peer.setReceiveBufferSize(64 * 1024);
            DataInputStream in = new DataInputStream(new BufferedInputStream(peer.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(peer.getOutputStream()));
            Handshake.initiate(in, out, new Handshake.Local(Atom.of("sink@localhost"), DistFlags.OFFERED, 77, "b"),
                    node.name());
            Pid sink = new Pid(Atom.of("sink@localhost"), 1, 0, 77);
            Binary kib = Binary.of(new byte[1024]);
            long total = 200_000; // 200 MB if nothing held the sender back
            AtomicLong sent = new AtomicLong();
            node.spawn(() -> new Actor() {
                @Override
                protected void init() {
                    send(self(), "go");
                }

                @Override
                protected void handleMessage(Object message) {
                    for (long i = 0; i < total; i++) {
                        send(sink, kib);
                        sent.incrementAndGet();
                    }
                }
            });
            // the sender stalls: what it got out is the kernel's buffers plus the busy limit, not 200 MB
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        long before = sent.get();
                        Thread.sleep(500); // stalled = nothing more got out in half a second: the quiet is the measure
                        return before > 0 && sent.get() == before;
                    });
            long stalledAt = sent.get();
            assertThat(stalledAt).isLessThan(total);
            assertThat(stalledAt * 1024).isLessThan(64L << 20);
            // the node itself is not stuck: it still answers other work
            assertThat(node.processCount()).isPositive();
            // and its stats say who waited for whom
            assertThat(node.stats().connections()).singleElement().satisfies(c -> {
                assertThat(c.peer()).isEqualTo(Atom.of("sink@localhost"));
                assertThat(c.state()).isEqualTo(NodeStats.ConnectionState.UP);
                assertThat(c.busyWaits()).isPositive();
                assertThat(c.bytesOut()).isGreaterThan(limit);
            });
            // when the connection goes, the sender goes on (its messages to a node that is gone are dropped)
            peer.close();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> sent.get() == total);
            assertThat(node.stats().connections()).singleElement()
                    .satisfies(c -> assertThat(c.state()).isEqualTo(NodeStats.ConnectionState.DOWN));
        }
    }
}
