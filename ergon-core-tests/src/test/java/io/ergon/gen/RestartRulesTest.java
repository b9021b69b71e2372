package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Actor;
import io.ergon.node.Down;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.testkit.ManualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Restart types and the restart intensity (supervisor.erl do_restart/3 and add_restart/1). */
class RestartRulesTest {
    private static final Duration LONG = Duration.ofSeconds(60);
    private final Node node = Node.start("restart_rules_test@localhost");
    private final Events events = new Events(node);

    @AfterEach
    void stop() {
        node.close();
    }

    static List<Object> normalReasons() {
        return List.of(Reasons.NORMAL, Reasons.SHUTDOWN, Reasons.shutdown(Atom.of("done")));
    }

    private SupervisorClient oneChild(Restart restart) {
        Pid sup = Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(10, LONG)
                .child(TestChild.spec("w", events.pid()).restart(restart)));
        events.started("w");
        return Supervisor.client(node, sup);
    }

    private static Pid pidOf(SupervisorClient client, String id) {
        return client.whichChildren().stream().filter(c -> id.equals(c.id())).findFirst().orElseThrow().pid();
    }

    @ParameterizedTest
    @MethodSource("normalReasons")
    void aPermanentChildIsRestartedWhateverItsReason(Object reason) {
        SupervisorClient client = oneChild(Restart.PERMANENT);
        Pid first = pidOf(client, "w");
        node.send(first, new TestChild.ExitWith(reason));
        assertThat(events.lifecycle(2)).containsExactly("stop w", "start w");
        assertThat(pidOf(client, "w")).isNotNull().isNotEqualTo(first);
    }

    @ParameterizedTest
    @MethodSource("normalReasons")
    void aTransientChildIsNotRestartedAfterNormalOrShutdown(Object reason) {
        SupervisorClient client = oneChild(Restart.TRANSIENT);
        node.send(pidOf(client, "w"), new TestChild.ExitWith(reason));
        assertThat(events.stopped("w").reason()).isEqualTo(reason);
        events.expectNoLifecycle(Duration.ofMillis(200));
        // kept, not running: it can be restarted by hand
        assertThat(client.whichChildren()).singleElement().satisfies(c -> assertThat(c.isRunning()).isFalse());
        assertThat(client.restartChild("w")).isPresent();
        events.started("w");
    }

    @Test
    void aTransientChildIsRestartedAfterACrash() {
        SupervisorClient client = oneChild(Restart.TRANSIENT);
        node.send(pidOf(client, "w"), new TestChild.Crash());
        assertThat(events.lifecycle(2)).containsExactly("stop w", "start w");
        node.send(pidOf(client, "w"), new TestChild.ExitWith(Atom.of("bad_thing")));
        assertThat(events.lifecycle(2)).containsExactly("stop w", "start w");
    }

    @Test
    void aTemporaryChildIsNeverRestartedAndIsForgotten() {
        SupervisorClient client = oneChild(Restart.TEMPORARY);
        node.send(pidOf(client, "w"), new TestChild.Crash());
        events.stopped("w");
        events.expectNoLifecycle(Duration.ofMillis(200));
        assertThat(client.whichChildren()).isEmpty();
        assertThat(client.countChildren()).isEqualTo(new ChildCounts(0, 0, 0, 0));
    }

    // ---------------------------------------------------------------- intensity

    private Ref watch(Mailbox m, Pid pid) {
        return m.monitor(pid);
    }

    @Test
    void theIntensityIsExceededByExactlyIntensityPlusOneRestartsWithinThePeriod() {
        int intensity = 3;
        Pid sup = Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(intensity, LONG).children(
                TestChild.spec("a", events.pid()), TestChild.spec("w", events.pid())));
        events.lifecycle(2);
        SupervisorClient client = Supervisor.client(node, sup);
        try (Mailbox watcher = node.mailbox()) {
            Ref mon = watch(watcher, sup);
            for (int i = 1; i <= intensity; i++) {
                node.send(pidOf(client, "w"), new TestChild.Crash());
                assertThat(events.lifecycle(2)).as("crash %d is restarted", i).containsExactly("stop w", "start w");
            }
            assertThat(node.isAlive(sup)).isTrue();

            node.send(pidOf(client, "w"), new TestChild.Crash());

            // restart number intensity+1: the supervisor stops its other children and exits with shutdown
            assertThat(events.lifecycle(2)).containsExactly("stop w", "stop a");
            Down down = (Down) watcher.receive(m -> m instanceof Down d && d.ref().equals(mon), Events.WAIT);
            assertThat(down.reason()).isEqualTo(Reasons.SHUTDOWN);
            events.expectNoLifecycle(Duration.ofMillis(100));
        }
    }

    @Test
    void intensityZeroMeansNoRestartAtAll() {
        Pid sup = Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(0, LONG)
                .child(TestChild.spec("w", events.pid())));
        events.started("w");
        try (Mailbox watcher = node.mailbox()) {
            Ref mon = watch(watcher, sup);
            node.send(pidOf(Supervisor.client(node, sup), "w"), new TestChild.Crash());
            Down down = (Down) watcher.receive(m -> m instanceof Down d && d.ref().equals(mon), Events.WAIT);
            assertThat(down.reason()).isEqualTo(Reasons.SHUTDOWN);
        }
    }

    @Test
    void restartsOlderThanThePeriodNoLongerCount() {
        ManualTime time = ManualTime.create();
        try (Node timed = Node.start("restart_window@localhost", time.on(NodeOptions.defaults()));
             Events timedEvents = new Events(timed)) {
            Duration period = Duration.ofMinutes(5);
            Pid sup = Supervisor.start(timed, Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(1, period)
                    .child(TestChild.spec("w", timedEvents.pid())));
            timedEvents.started("w");
            SupervisorClient client = Supervisor.client(timed, sup);
            timed.send(pidOf(client, "w"), new TestChild.Crash());
            timedEvents.lifecycle(2);
            time.advance(period); // the point: the first restart ages out of the window
            timed.send(pidOf(client, "w"), new TestChild.Crash());
            assertThat(timedEvents.lifecycle(2)).containsExactly("stop w", "start w");
            assertThat(timed.isAlive(sup)).isTrue();
        }
    }

    @Test
    void aRestartThatFailsIsTriedAgainAndEachTryCounts() {
        AtomicInteger starts = new AtomicInteger();
        ChildSpec flaky = ChildSpec.worker("flaky", () -> {
            if (starts.incrementAndGet() > 1) {
                throw new IllegalStateException("cannot start again");
            }
            return new TestChild("flaky", events.pid());
        });
        Pid sup = Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(3, LONG).child(flaky));
        events.started("flaky");
        try (Mailbox watcher = node.mailbox()) {
            Ref mon = watch(watcher, sup);
            node.send(pidOf(Supervisor.client(node, sup), "flaky"), new TestChild.Crash());
            Down down = (Down) watcher.receive(m -> m instanceof Down d && d.ref().equals(mon), Events.WAIT);
            assertThat(down.reason()).isEqualTo(Reasons.SHUTDOWN);
        }
        // the first start, then 3 restart attempts within the intensity; the 4th would exceed it
        assertThat(starts.get()).isEqualTo(4);
    }

    @Test
    void aFailedRestartThatSucceedsLaterLeavesTheChildRunning() {
        AtomicInteger starts = new AtomicInteger();
        ChildSpec flaky = ChildSpec.worker("flaky", () -> {
            if (starts.incrementAndGet() == 2) {
                throw new IllegalStateException("not this time");
            }
            return new TestChild("flaky", events.pid());
        });
        Pid sup = Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(5, LONG).child(flaky));
        events.started("flaky");
        SupervisorClient client = Supervisor.client(node, sup);
        node.send(pidOf(client, "flaky"), new TestChild.Crash());
        assertThat(events.lifecycle(2)).containsExactly("stop flaky", "start flaky");
        assertThat(starts.get()).isEqualTo(3);
        assertThat(client.whichChildren()).singleElement().satisfies(c -> {
            assertThat(c.isRunning()).isTrue();
            assertThat(c.restarting()).isFalse();
        });
    }

    /** A worker that exits normally at once after starting: a permanent one is restarted until the intensity trips. */
    @Test
    void aPermanentChildThatKeepsExitingExhaustsTheIntensity() {
        AtomicInteger starts = new AtomicInteger();
        ChildSpec quitter = ChildSpec.worker("quitter", () -> new Actor() {
            @Override
            protected void init() {
                starts.incrementAndGet();
                send(self(), "quit");
            }

            @Override
            protected void handleMessage(Object message) {
                stop(Reasons.NORMAL);
            }
        });
        Watcher.spawnMonitored(node, events.pid(),
                () -> new Supervisor(Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(2, LONG).child(quitter)));
        Pid sup = events.expect(Pid.class);
        Down down = events.expect(Down.class);
        assertThat(down.item()).isEqualTo(sup);
        assertThat(down.reason()).isEqualTo(Reasons.SHUTDOWN);
        assertThat(starts.get()).isEqualTo(3);
    }
}
