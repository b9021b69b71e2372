package io.ergon.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ergon.node.Actor;
import io.ergon.node.CrashReason;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events on one node: register, publish, subscribe, order, ownership, monitors, the producer's end, buffer, notify. */
class EventsTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static Node node;

    @BeforeAll
    static void start() {
        node = Node.start("events_local@localhost");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static Name local(String name) {
        return new Name(Atom.of(name), node.name());
    }

    /** The next message that is an event or its end, failing the test if none comes in time. */
    static Object nextEvent(Mailbox m) {
        Object got = m.receive(x -> x instanceof Event || x instanceof EventDown, WAIT);
        assertThat(got).as("an event within " + WAIT).isNotNull();
        return got;
    }

    static List<Object> messages(Mailbox m, int n) {
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(((Event) nextEvent(m)).message());
        }
        return out;
    }

    /** A producer process: registers its event in init, then publishes what it is told to, in order. */
    record Publish(List<?> messages) {
    }

    static final class Producer extends Actor {
        private final String name;
        private final EventOptions options;
        private final Pid report;
        private EventToken token;

        Producer(String name, EventOptions options, Pid report) {
            this.name = name;
            this.options = options;
            this.report = report;
        }

        @Override
        protected void init() {
            token = Events.register(context(), name, options);
        }

        @Override
        protected void handleMessage(Object message) {
            switch (message) {
                case Publish(List<?> messages) -> messages.forEach(m -> Events.publish(context(), token, m));
                case String s when s.equals("unregister") -> Events.unregister(context(), token);
                case String s when s.equals("crash") -> throw new IllegalStateException("the producer crashed");
                case EventStart s -> send(report, s);
                case EventStop s -> send(report, s);
                default -> stop(message);
            }
        }
    }

    /** A subscriber process: subscribes in init (a Name: any node) and forwards what it gets to {@code report}. */
    static final class Forwarder extends Actor {
        private final Name event;
        private final Pid report;

        Forwarder(Name event, Pid report) {
            this.event = event;
            this.report = report;
        }

        @Override
        protected void init() {
            Events.subscribe(context(), event).forEach(e -> send(report, e));
        }

        @Override
        protected void handleMessage(Object message) {
            send(report, message);
        }
    }

    @Test
    void aSubscriberGetsWhatTheProducerPublishes() {
        try (Mailbox producer = node.mailbox(); Mailbox subscriber = node.mailbox()) {
            EventToken token = Events.register(producer, "greetings");
            assertThat(token.event()).isEqualTo(local("greetings"));
            assertThat(token.owner()).isEqualTo(producer.pid());
            assertThat(Events.subscribe(subscriber, "greetings")).isEmpty();

            Events.publish(producer, token, "hello");
            Events.publish(producer, token, List.of(1L, 2L));

            assertThat(nextEvent(subscriber)).isEqualTo(new Event(local("greetings"), "hello"));
            Event second = (Event) nextEvent(subscriber);
            assertThat(second.name()).isEqualTo("greetings");
            assertThat(second.message()).isEqualTo(List.of(1L, 2L));
            EventInfo info = Events.info(node, "greetings").orElseThrow();
            assertThat(info.producer()).isEqualTo(producer.pid());
            assertThat(info.subscribers()).containsExactly(subscriber.pid());
            assertThat(info.nodes()).isEmpty();
            assertThat(info.published()).isEqualTo(2);
            assertThat(Events.registered(node)).contains("greetings");
        }
    }

    @Test
    void everySubscriberGetsEachProducersEventsInOrder() {
        int n = 5_000;
        try (Mailbox report = node.mailbox()) {
            Pid odd = node.spawn(() -> new Producer("order_odd", EventOptions.defaults(), report.pid()));
            Pid even = node.spawn(() -> new Producer("order_even", EventOptions.defaults(), report.pid()));
            List<Mailbox> subscribers = IntStream.range(0, 4).mapToObj(i -> node.mailbox()).toList();
            try {
                for (Mailbox s : subscribers) {
                    Events.subscribe(s, "order_odd");
                    Events.subscribe(s, "order_even");
                }
                // both producers publish at once, in batches, so their events interleave at each subscriber
                for (int batch = 0; batch < n; batch += 500) {
                    int from = batch;
                    node.send(odd, new Publish(IntStream.range(from, from + 500).mapToObj(i -> 2L * i + 1).toList()));
                    node.send(even, new Publish(IntStream.range(from, from + 500).mapToObj(i -> 2L * i).toList()));
                }
                for (Mailbox s : subscribers) {
                    List<Long> odds = new ArrayList<>();
                    List<Long> evens = new ArrayList<>();
                    for (int i = 0; i < 2 * n; i++) {
                        Event e = (Event) nextEvent(s);
                        (e.name().equals("order_odd") ? odds : evens).add((Long) e.message());
                    }
                    assertThat(odds).as("the odd producer's order")
                            .isEqualTo(IntStream.range(0, n).mapToObj(i -> 2L * i + 1).toList());
                    assertThat(evens).as("the even producer's order")
                            .isEqualTo(IntStream.range(0, n).mapToObj(i -> 2L * i).toList());
                }
            } finally {
                subscribers.forEach(Mailbox::close);
                node.exit(odd, Atom.of("done"));
                node.exit(even, Atom.of("done"));
            }
        }
    }

    @Test
    void onlyTheProducerPublishesOrUnregisters() {
        try (Mailbox producer = node.mailbox(); Mailbox other = node.mailbox(); Mailbox subscriber = node.mailbox()) {
            EventToken token = Events.register(producer, "owned");
            Events.subscribe(subscriber, "owned");

            assertThatThrownBy(() -> Events.publish(other, token, "forged"))
                    .isInstanceOfSatisfying(EventException.class, e -> {
                        assertThat(e.why()).isEqualTo(EventException.NOT_OWNER);
                        assertThat(e.event()).isEqualTo(local("owned"));
                        assertThat(e.reason()).hasToString("{not_owner,{owned,events_local@localhost}}");
                    })
                    .hasMessageContaining("only the producer " + producer.pid());
            assertThatThrownBy(() -> Events.unregister(other, token))
                    .isInstanceOfSatisfying(EventException.class,
                            e -> assertThat(e.why()).isEqualTo(EventException.NOT_OWNER));

            Events.publish(producer, token, "genuine");
            assertThat(nextEvent(subscriber)).isEqualTo(new Event(local("owned"), "genuine"));
            assertThat(subscriber.receive(Duration.ofMillis(50))).as("nothing forged arrived").isNull();
            assertThat(token.isRegistered()).isTrue();
        }
    }

    @Test
    void aDuplicateNameIsRefused() {
        try (Mailbox first = node.mailbox(); Mailbox second = node.mailbox()) {
            Events.register(first, "unique");
            for (Mailbox m : List.of(first, second)) {
                assertThatThrownBy(() -> Events.register(m, "unique"))
                        .isInstanceOfSatisfying(EventException.class, e -> {
                            assertThat(e.why()).isEqualTo(EventException.ALREADY_REGISTERED);
                            assertThat(e.event()).isEqualTo(local("unique"));
                        })
                        .hasMessageContaining("already registered, by " + first.pid());
            }
        }
    }

    @Test
    void aSubscriberThatDiesIsDropped() {
        try (Mailbox producer = node.mailbox()) {
            EventToken token = Events.register(producer, "mortal", EventOptions.defaults().notifyProducer(true));
            Pid doomed = node.spawn(() -> new Forwarder(local("mortal"), producer.pid()));
            Mailbox survivor = node.mailbox();
            Events.subscribe(survivor, "mortal");
            assertThat(producer.receive(m -> m instanceof EventStart, WAIT)).isEqualTo(new EventStart(local("mortal")));
            assertThat(Events.info(node, "mortal").orElseThrow().subscriberCount()).isEqualTo(2);

            node.exit(doomed, Atom.of("gone"));
            await().atMost(WAIT).until(() -> Events.info(node, "mortal").orElseThrow().subscribers()
                    .equals(List.of(survivor.pid())));
            Events.publish(producer, token, "still here");
            assertThat(nextEvent(survivor)).isEqualTo(new Event(local("mortal"), "still here"));

            survivor.close();
            await().atMost(WAIT).until(() -> Events.info(node, "mortal").orElseThrow().subscriberCount() == 0);
            assertThat(producer.receive(m -> m instanceof EventStop, WAIT)).as("nobody listens now")
                    .isEqualTo(new EventStop(local("mortal")));
            Events.publish(producer, token, "to nobody");
        }
    }

    @Test
    void whenTheProducerExitsEverySubscriberGetsEventDownWithItsReason() {
        try (Mailbox report = node.mailbox()) {
            Pid producer = node.spawn(() -> new Producer("ending", EventOptions.defaults(), report.pid()));
            List<Mailbox> subscribers = IntStream.range(0, 3).mapToObj(i -> node.mailbox()).toList();
            try {
                subscribers.forEach(s -> Events.subscribe(s, "ending"));
                node.send(producer, new Publish(List.of(1L, 2L, 3L)));
                node.send(producer, Atom.of("finished"));   // the producer stops with this reason
                for (Mailbox s : subscribers) {
                    assertThat(messages(s, 3)).containsExactly(1L, 2L, 3L);
                    assertThat(nextEvent(s)).isEqualTo(new EventDown(local("ending"), Atom.of("finished")));
                }
                await().atMost(WAIT).until(() -> Events.info(node, "ending").isEmpty());
            } finally {
                subscribers.forEach(Mailbox::close);
            }
        }
    }

    @Test
    void aCrashedProducersSubscribersGetTheCrashReason() {
        try (Mailbox report = node.mailbox(); Mailbox subscriber = node.mailbox()) {
            Pid producer = node.spawn(() -> new Producer("crashing", EventOptions.defaults(), report.pid()));
            Events.subscribe(subscriber, "crashing");
            node.send(producer, "crash");
            EventDown down = (EventDown) nextEvent(subscriber);
            assertThat(down.event()).isEqualTo(local("crashing"));
            assertThat(down.reason()).isInstanceOfSatisfying(CrashReason.class,
                    r -> assertThat(r.message()).isEqualTo("the producer crashed"));
        }
    }

    @Test
    void unregisteringEndsTheEventForEverySubscriber() {
        try (Mailbox producer = node.mailbox(); Mailbox a = node.mailbox(); Mailbox b = node.mailbox()) {
            EventToken token = Events.register(producer, "closing");
            Events.subscribe(a, "closing");
            Events.subscribe(b, "closing");
            Events.publish(producer, token, "last");
            Events.unregister(producer, token);

            for (Mailbox s : List.of(a, b)) {
                assertThat(nextEvent(s)).isEqualTo(new Event(local("closing"), "last"));
                assertThat(nextEvent(s)).isEqualTo(new EventDown(local("closing"), EventDown.UNREGISTERED));
            }
            assertThat(token.isRegistered()).isFalse();
            assertThat(Events.info(node, "closing")).isEmpty();
            assertThatThrownBy(() -> Events.publish(producer, token, "too late"))
                    .isInstanceOfSatisfying(EventException.class,
                            e -> assertThat(e.why()).isEqualTo(EventException.UNREGISTERED));
            assertThatThrownBy(() -> Events.unregister(producer, token))
                    .isInstanceOfSatisfying(EventException.class,
                            e -> assertThat(e.why()).isEqualTo(EventException.UNREGISTERED));
            assertThatThrownBy(() -> Events.subscribe(a, "closing"))
                    .isInstanceOfSatisfying(EventException.class,
                            e -> assertThat(e.why()).isEqualTo(EventException.UNKNOWN_EVENT));

            EventToken again = Events.register(producer, "closing");   // the name is free again
            Events.subscribe(a, "closing");
            Events.publish(producer, again, "reborn");
            assertThat(nextEvent(a)).isEqualTo(new Event(local("closing"), "reborn"));
        }
    }

    @Test
    void aNewSubscriberGetsTheBufferThenEveryLaterEventWithNoGapOrOverlap() {
        try (Mailbox producer = node.mailbox(); Mailbox early = node.mailbox(); Mailbox late = node.mailbox()) {
            EventToken token = Events.register(producer, "buffered", EventOptions.defaults().buffer(3));
            assertThat(Events.subscribe(early, "buffered")).isEmpty();
            for (long i = 1; i <= 5; i++) {
                Events.publish(producer, token, i);
            }
            assertThat(Events.subscribe(late, "buffered")).extracting(Event::message).containsExactly(3L, 4L, 5L);
            assertThat(Events.info(node, "buffered").orElseThrow().buffered()).isEqualTo(3);
            Events.publish(producer, token, 6L);
            assertThat(messages(late, 1)).containsExactly(6L);
            assertThat(late.receive(Duration.ofMillis(50))).isNull();
            assertThat(messages(early, 6)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        }
    }

    @Test
    void aProducerThatAsksIsToldWhenItsFirstSubscriberComesAndItsLastGoes() {
        try (Mailbox report = node.mailbox(); Mailbox a = node.mailbox(); Mailbox b = node.mailbox()) {
            Pid producer = node.spawn(() -> new Producer("told", EventOptions.defaults().notifyProducer(true),
                    report.pid()));
            Events.subscribe(a, "told");
            Events.subscribe(b, "told");
            assertThat(report.receive(WAIT)).isEqualTo(new EventStart(local("told")));
            assertThat(Events.unsubscribe(a, "told")).isTrue();
            assertThat(Events.unsubscribe(a, "told")).as("only once").isFalse();
            assertThat(report.receive(Duration.ofMillis(50))).as("b still listens").isNull();
            assertThat(Events.unsubscribe(b, "told")).isTrue();
            assertThat(report.receive(WAIT)).isEqualTo(new EventStop(local("told")));
            Events.subscribe(a, "told");
            assertThat(report.receive(WAIT)).isEqualTo(new EventStart(local("told")));
            node.exit(producer, Atom.of("done"));
        }
    }

    @Test
    void subscriptionsAreRefusedClearly() {
        try (Mailbox producer = node.mailbox(); Mailbox subscriber = node.mailbox()) {
            assertThatThrownBy(() -> Events.subscribe(subscriber, "nowhere"))
                    .isInstanceOfSatisfying(EventException.class, e -> {
                        assertThat(e.why()).isEqualTo(EventException.UNKNOWN_EVENT);
                        assertThat(e.event()).isEqualTo(local("nowhere"));
                    })
                    .hasMessageContaining("no event nowhere is registered on events_local@localhost");
            Events.register(producer, "twice");
            Events.subscribe(subscriber, "twice");
            assertThatThrownBy(() -> Events.subscribe(subscriber, local("twice")))
                    .isInstanceOfSatisfying(EventException.class,
                            e -> assertThat(e.why()).isEqualTo(EventException.ALREADY_SUBSCRIBED));
            assertThat(Events.unsubscribe(subscriber, "nowhere")).isFalse();
            assertThatThrownBy(() -> Events.subscribe(subscriber, Name.of("twice", "elsewhere@localhost")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not distributed");
            assertThatThrownBy(() -> EventOptions.defaults().buffer(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aStrayCallToTheRelayIsAnsweredAndEndsNothing() {
        try (Mailbox producer = node.mailbox()) {
            Events.register(producer, "stray");
            Pid relay = node.whereis(EventHub.RELAY);
            Object answer = node.call(EventHub.RELAY, Atom.of("which_events"));
            assertThat(answer).hasToString("{error,{unknown_request,which_events}}");
            node.send(EventHub.RELAY, Atom.of("noise"));
            assertThat(node.whereis(EventHub.RELAY)).isEqualTo(relay);
            assertThat(Events.info(node, "stray")).isPresent();
        }
    }

    @Test
    void aKilledRelayIsReplacedAndTheNewOneWatchesTheOldSubscriptions() {
        try (Mailbox report = node.mailbox(); Mailbox subscriber = node.mailbox()) {
            Pid producer = node.spawn(() -> new Producer("relayed", EventOptions.defaults(), report.pid()));
            Events.subscribe(subscriber, "relayed");
            Pid doomed = node.spawn(() -> new Forwarder(local("relayed"), report.pid()));
            Pid relay = node.whereis(EventHub.RELAY);
            node.exit(relay, Atom.of("kill"));
            await().atMost(WAIT).until(() -> !node.isAlive(relay));

            assertThat(Events.unsubscribe(report, "relayed")).as("a request starts a new relay").isFalse();
            assertThat(node.whereis(EventHub.RELAY)).isNotNull().isNotEqualTo(relay);
            node.exit(doomed, Atom.of("gone"));
            await().atMost(WAIT).until(() -> Events.info(node, "relayed").orElseThrow().subscriberCount() == 1);
            node.send(producer, new Publish(List.of("after")));
            assertThat(nextEvent(subscriber)).isEqualTo(new Event(local("relayed"), "after"));
            node.send(producer, Atom.of("bye"));
            assertThat(nextEvent(subscriber)).isEqualTo(new EventDown(local("relayed"), Atom.of("bye")));
        }
    }
}
