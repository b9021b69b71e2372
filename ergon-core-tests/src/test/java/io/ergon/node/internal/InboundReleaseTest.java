package io.ergon.node.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Actor;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.Reasons;
import io.ergon.node.spi.InboundMessage;
import io.ergon.node.spi.LocalNode;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every message from another node gives its cost back exactly once, whatever becomes of it (see
 * {@link InboundMessage}): taken by a handler or a receive, passed over into the save queue and then taken or
 * dropped with its process, sent to nobody, to an alias nobody holds, left in a mailbox that closes, or met by a
 * receive whose predicate throws. The processes never see the envelope. Delivered through the node's
 * {@link LocalNode} as the distribution layer delivers.
 */
class InboundReleaseTest {
    private final Node node = Node.start("inbound_release@localhost", NodeOptions.defaults().parallelism(2));
    private final LocalNode local = new LocalNodeAdapter(core(node));
    /** What is charged and not yet given back. */
    private final AtomicLong outstanding = new AtomicLong();

    @AfterEach
    void stop() {
        node.close();
    }

    private static NodeCore core(Node n) {
        try {
            var m = Node.class.getDeclaredMethod("core");
            m.setAccessible(true);
            return (NodeCore) m.invoke(n);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private InboundMessage inbound(Object message) {
        outstanding.addAndGet(100);
        return new InboundMessage(message, 100, cost -> outstanding.addAndGet(-cost));
    }

    private void awaitAllGivenBack() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> outstanding.get() == 0);
    }

    @Test
    void aHandlerGetsTheMessageAndItsCostComesBack() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        Pid p = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                seen.add(message);
            }
        });
        for (int i = 0; i < 100; i++) {
            local.send(p, inbound(i));
        }
        awaitAllGivenBack();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 100);
        assertThat(seen).allSatisfy(m -> assertThat(m).isInstanceOf(Integer.class));
        assertThat(seen.get(99)).isEqualTo(99);
    }

    @Test
    void whatGoesToNobodyIsGivenBackAtOnce() {
        Pid gone;
        try (Mailbox box = node.mailbox()) {
            gone = box.pid();
        }
        local.send(gone, inbound("to a dead pid"));
        local.sendToName(gone, Atom.of("nobody_here"), inbound("to an unregistered name"));
        local.sendToAlias(new Ref(node.name(), 1, 1, 2, 3), inbound("to an alias nobody holds"));
        assertThat(outstanding.get()).isZero();
    }

    @Test
    void messagesPassedOverStayChargedUntilTakenOrTheirProcessDies() throws Exception {
        try (Mailbox box = node.mailbox()) {
            local.send(box.pid(), inbound("a"));
            local.send(box.pid(), inbound("b"));
            local.send(box.pid(), inbound("c"));
            assertThat(box.receive(m -> m.equals("b"), Duration.ofSeconds(5))).isEqualTo("b");
            assertThat(outstanding.get()).as("a passed over into the save queue, c still queued").isEqualTo(200);
            assertThat(box.receive(m -> m.equals("a"), Duration.ofSeconds(5))).isEqualTo("a");
            assertThat(outstanding.get()).isEqualTo(100);
            local.send(box.pid(), inbound("d"));
            assertThat(box.receive(m -> m.equals("nothing"), Duration.ofMillis(50))).isNull();
            assertThat(outstanding.get()).as("c and d saved").isEqualTo(200);
            local.send(box.pid(), inbound("e")); // queued, not saved
        }
        assertThat(outstanding.get()).as("the closed mailbox gave back what it saved and what was queued").isZero();
    }

    @Test
    void anActorThatDiesWithItsMailboxAndSaveQueueFullGivesEverythingBack() {
        Pid p = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                if (message.equals("wait")) {
                    receive(m -> m.equals("never"), Duration.ofMinutes(1));
                }
            }
        });
        local.send(p, inbound("wait"));
        for (int i = 0; i < 50; i++) {
            local.send(p, inbound(i));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> node.info(p) != null && node.info(p).messageQueueLength() == 50);
        assertThat(outstanding.get()).isEqualTo(5_000);
        node.exit(p, Reasons.KILL);
        awaitAllGivenBack();
    }

    @Test
    void aReceiveWhosePredicateThrowsGivesTheMessageBack() {
        Pid p = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                receive(m -> {
                    throw new IllegalStateException("a predicate that throws, on purpose");
                }, Duration.ofSeconds(5));
            }
        });
        local.send(p, inbound("start"));
        local.send(p, inbound("met by the throwing predicate"));
        awaitAllGivenBack();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> node.info(p) == null);
    }
}
