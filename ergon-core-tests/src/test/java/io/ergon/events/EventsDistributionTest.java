package io.ergon.events;

import static io.ergon.events.EventsTest.WAIT;
import static io.ergon.events.EventsTest.messages;
import static io.ergon.events.EventsTest.nextEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ergon.etf.RecordRegistry;
import io.ergon.events.EventsTest.Forwarder;
import io.ergon.events.EventsTest.Producer;
import io.ergon.events.EventsTest.Publish;
import io.ergon.net.EpmdServer;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events across two Ergon nodes in this JVM, with an EPMD of the test's own on loopback: remote subscriptions, the
 * producer's order, one message per event and node, the buffer, the producer's end, refusals, and a lost connection.
 */
class EventsDistributionTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final RecordRegistry RECORDS = new RecordRegistry();
    static EpmdServer epmd;
    static Node a;
    static Node b;

    /** A registered record: it crosses as {@code {tick, <<"ACME">>, 42}} and comes back typed. */
    record Tick(String symbol, long price) {
    }

    @BeforeAll
    static void start() throws Exception {
        RECORDS.register(Tick.class);
        epmd = EpmdServer.start(LOOPBACK, 0);
        a = Node.start("evx_a@localhost", options());
        b = Node.start("evx_b@localhost", options());
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
        epmd.close();
    }

    static NodeOptions options() {
        return NodeOptions.defaults().distributed(true).cookie("events").epmdPort(epmd.port()).listenAddress(LOOPBACK)
                .records(RECORDS);
    }

    static Name on(Node node, String event) {
        return new Name(Atom.of(event), node.name());
    }

    @Test
    void remoteSubscribersGetEveryEventInOrderAndTheirNodeGetsOneMessagePerEvent() {
        int n = 2_000;
        Name ticks = on(a, "ticks");
        try (Mailbox report = a.mailbox(); Mailbox local = a.mailbox()) {
            Pid producer = a.spawn(() -> new Producer("ticks", EventOptions.defaults(), report.pid()));
            List<Mailbox> remote = IntStream.range(0, 3).mapToObj(i -> b.mailbox()).toList();
            try {
                for (Mailbox s : remote) {
                    assertThat(Events.subscribe(s, ticks)).isEmpty();
                }
                Events.subscribe(local, "ticks");
                EventInfo info = Events.info(a, "ticks").orElseThrow();
                assertThat(info.subscribers()).containsExactly(local.pid());
                assertThat(info.nodes()).as("three subscribers on b, one subscription from b")
                        .containsExactly(b.name());
                long inBefore = EventHub.of(b).remoteIn.sum();
                long deliveredBefore = EventHub.of(b).remoteDelivered.sum();

                for (int batch = 0; batch < n; batch += 500) {
                    a.send(producer, new Publish(LongStream.range(batch, batch + 500).boxed().toList()));
                }
                List<Object> expected = LongStream.range(0, n).boxed().map(Object.class::cast).toList();
                for (Mailbox s : remote) {
                    assertThat(messages(s, n)).as("a subscriber on b, in the producer's order").isEqualTo(expected);
                }
                assertThat(messages(local, n)).as("the subscriber on a").isEqualTo(expected);
                assertThat(EventHub.of(b).remoteIn.sum() - inBefore).as("messages that reached b: one per event")
                        .isEqualTo(n);
                assertThat(EventHub.of(b).remoteDelivered.sum() - deliveredBefore).as("handed out on b")
                        .isEqualTo(3L * n);
            } finally {
                remote.forEach(Mailbox::close);
                a.exit(producer, Atom.of("done"));
            }
        }
    }

    @Test
    void aRegisteredRecordCrossesTyped() {
        try (Mailbox producer = a.mailbox(); Mailbox subscriber = b.mailbox()) {
            EventToken token = Events.register(producer, "typed");
            Events.subscribe(subscriber, on(a, "typed"));
            Events.publish(producer, token, new Tick("ACME", 42));
            assertThat(nextEvent(subscriber)).isEqualTo(new Event(on(a, "typed"), new Tick("ACME", 42)));
            assertThatThrownBy(() -> Events.publish(producer, token, new Object()))
                    .as("a message with no term mapping fails at the publish, for every subscriber")
                    .isInstanceOf(IllegalArgumentException.class);
            Events.publish(producer, token, new Tick("ACME", 43));
            assertThat(nextEvent(subscriber)).isEqualTo(new Event(on(a, "typed"), new Tick("ACME", 43)));
        }
    }

    @Test
    void aNodeThatJoinsLaterGetsTheBufferAndItsLaterSubscribersGetItsCopy() {
        Name buffered = on(a, "buffered");
        try (Mailbox producer = a.mailbox(); Mailbox first = b.mailbox(); Mailbox second = b.mailbox()) {
            EventToken token = Events.register(producer, "buffered", EventOptions.defaults().buffer(3));
            for (long i = 1; i <= 5; i++) {
                Events.publish(producer, token, i);
            }
            assertThat(Events.subscribe(first, buffered)).extracting(Event::message).containsExactly(3L, 4L, 5L);
            Events.publish(producer, token, 6L);
            assertThat(messages(first, 1)).containsExactly(6L);
            assertThat(Events.subscribe(second, buffered)).as("b's relay keeps the latest three")
                    .extracting(Event::message).containsExactly(4L, 5L, 6L);
            Events.publish(producer, token, 7L);
            assertThat(messages(first, 1)).containsExactly(7L);
            assertThat(messages(second, 1)).containsExactly(7L);
            assertThat(first.receive(java.time.Duration.ofMillis(50))).isNull();
            assertThat(second.receive(java.time.Duration.ofMillis(50))).isNull();
        }
    }

    @Test
    void theProducersEndReachesRemoteSubscribersAfterItsLastEvent() {
        try (Mailbox report = a.mailbox(); Mailbox s1 = b.mailbox(); Mailbox s2 = b.mailbox()) {
            Pid producer = a.spawn(() -> new Producer("ending", EventOptions.defaults(), report.pid()));
            Events.subscribe(s1, on(a, "ending"));
            Events.subscribe(s2, on(a, "ending"));
            a.send(producer, new Publish(LongStream.rangeClosed(1, 100).boxed().toList()));
            a.send(producer, Atom.of("finished"));
            for (Mailbox s : List.of(s1, s2)) {
                assertThat(messages(s, 100)).hasSize(100).last().isEqualTo(100L);
                assertThat(nextEvent(s)).isEqualTo(new EventDown(on(a, "ending"), Atom.of("finished")));
            }

            EventToken token;
            try (Mailbox p = a.mailbox()) {
                token = Events.register(p, "closing");
                Events.subscribe(s1, on(a, "closing"));
                Events.publish(p, token, Atom.of("last"));
                Events.unregister(p, token);
                assertThat(nextEvent(s1)).isEqualTo(new Event(on(a, "closing"), Atom.of("last")));
                assertThat(nextEvent(s1)).isEqualTo(new EventDown(on(a, "closing"), EventDown.UNREGISTERED));
            }
            await().atMost(WAIT).until(() -> !EventHub.of(b).remote.containsKey(a.name())
                    || EventHub.of(b).remote.get(a.name()).subs.isEmpty());
        }
    }

    @Test
    void remoteSubscriptionsAreRefusedClearly() {
        try (Node c = Node.start("evx_c@localhost", options());
             Mailbox producer = a.mailbox(); Mailbox subscriber = b.mailbox()) {
            assertThatThrownBy(() -> Events.subscribe(subscriber, on(a, "nowhere")))
                    .isInstanceOfSatisfying(EventException.class, e -> {
                        assertThat(e.why()).isEqualTo(EventException.UNKNOWN_EVENT);
                        assertThat(e.event()).isEqualTo(on(a, "nowhere"));
                    });
            assertThatThrownBy(() -> Events.subscribe(subscriber, on(c, "anything")))
                    .as("a node that never had an event has no relay")
                    .isInstanceOfSatisfying(EventException.class,
                            e -> assertThat(e.why()).isEqualTo(EventException.UNKNOWN_EVENT));
            assertThatThrownBy(() -> Events.subscribe(subscriber, Name.of("anything", "evx_gone@localhost")))
                    .isInstanceOfSatisfying(EventException.class,
                            e -> assertThat(e.why()).isEqualTo(EventException.NOCONNECTION));
            Events.register(producer, "once");
            Events.subscribe(subscriber, on(a, "once"));
            assertThatThrownBy(() -> Events.subscribe(subscriber, on(a, "once")))
                    .isInstanceOfSatisfying(EventException.class,
                            e -> assertThat(e.why()).isEqualTo(EventException.ALREADY_SUBSCRIBED));
        }
    }

    @Test
    void whenTheLastSubscriberOfANodeLeavesTheProducerStopsSendingThere() {
        try (Mailbox producer = a.mailbox(); Mailbox report = b.mailbox(); Mailbox staying = b.mailbox()) {
            EventToken token = Events.register(producer, "quiet", EventOptions.defaults().notifyProducer(true));
            Pid forwarder = b.spawn(() -> new Forwarder(on(a, "quiet"), report.pid()));
            assertThat(producer.receive(m -> m instanceof EventStart, WAIT)).isEqualTo(new EventStart(on(a, "quiet")));
            Events.subscribe(staying, on(a, "quiet"));
            Events.publish(producer, token, 1L);
            assertThat(messages(report, 1)).containsExactly(1L);
            assertThat(messages(staying, 1)).containsExactly(1L);

            assertThat(Events.unsubscribe(staying, on(a, "quiet"))).isTrue();
            assertThat(Events.unsubscribe(staying, on(a, "quiet"))).isFalse();
            assertThat(Events.info(a, "quiet").orElseThrow().nodes()).as("the forwarder still listens")
                    .containsExactly(b.name());
            b.exit(forwarder, Atom.of("gone"));
            await().atMost(WAIT).until(() -> Events.info(a, "quiet").orElseThrow().nodes().isEmpty());
            assertThat(producer.receive(m -> m instanceof EventStop, WAIT)).isEqualTo(new EventStop(on(a, "quiet")));
            long inBefore = EventHub.of(b).remoteIn.sum();
            Events.publish(producer, token, 2L);
            assertThat(staying.receive(java.time.Duration.ofMillis(100))).isNull();
            assertThat(EventHub.of(b).remoteIn.sum()).as("nothing went to b").isEqualTo(inBefore);
        }
    }

    @Test
    void aLostConnectionEndsRemoteSubscriptionsWithNoconnection() {
        try (Node c = Node.start("evx_lost_c@localhost", options());
             Node d = Node.start("evx_lost_d@localhost", options());
             Mailbox producer = c.mailbox(); Mailbox s1 = d.mailbox(); Mailbox s2 = d.mailbox()) {
            EventToken token = Events.register(producer, "fragile", EventOptions.defaults().notifyProducer(true));
            Events.subscribe(s1, on(c, "fragile"));
            Events.subscribe(s2, on(c, "fragile"));
            assertThat(producer.receive(m -> m instanceof EventStart, WAIT)).isNotNull();
            Events.publish(producer, token, Atom.of("before"));
            for (Mailbox s : List.of(s1, s2)) {
                assertThat(nextEvent(s)).isEqualTo(new Event(on(c, "fragile"), Atom.of("before")));
            }

            assertThat(d.disconnect(c.name().name())).isTrue();
            for (Mailbox s : List.of(s1, s2)) {
                assertThat(nextEvent(s)).isEqualTo(new EventDown(on(c, "fragile"), Reasons.NOCONNECTION));
            }
            await().atMost(WAIT).until(() -> Events.info(c, "fragile").orElseThrow().nodes().isEmpty());
            assertThat(producer.receive(m -> m instanceof EventStop, WAIT)).as("the producer's only node went")
                    .isEqualTo(new EventStop(on(c, "fragile")));
            assertThat(EventHub.of(d).remote).isEmpty();

            Events.subscribe(s1, on(c, "fragile"));   // connects again
            Events.publish(producer, token, Atom.of("after"));
            assertThat(nextEvent(s1)).isEqualTo(new Event(on(c, "fragile"), Atom.of("after")));
        }
    }
}
