package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ergon.node.Down;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Significant children and auto-shutdown, OTP 24+ (supervisor.erl do_auto_shutdown/2). */
class AutoShutdownTest {
    private static final Duration LONG = Duration.ofSeconds(60);
    private final Node node = Node.start("auto_shutdown_test@localhost");
    private final Events events = new Events(node);

    @AfterEach
    void stop() {
        node.close();
    }

    private ChildSpec significant(String id, Restart restart) {
        return TestChild.spec(id, events.pid()).restart(restart).significant(true);
    }

    /** Starts the supervisor monitored; returns its pid. */
    private Pid startWatched(SupervisorSpec spec) {
        Watcher.spawnMonitored(node, events.pid(), () -> new Supervisor(spec));
        return events.expect(Pid.class);
    }

    private static Pid pidOf(SupervisorClient client, String id) {
        return client.whichChildren().stream().filter(c -> id.equals(c.id())).findFirst().orElseThrow().pid();
    }

    @Test
    void anySignificantShutsTheSupervisorDownWhenOneSignificantChildEnds() {
        Pid sup = startWatched(Supervisor.spec(Strategy.ONE_FOR_ONE).autoShutdown(AutoShutdown.ANY_SIGNIFICANT)
                .children(TestChild.spec("plain", events.pid()), significant("job", Restart.TRANSIENT)));
        events.lifecycle(2);
        node.send(pidOf(Supervisor.client(node, sup), "job"), new TestChild.ExitWith(Reasons.NORMAL));
        assertThat(events.lifecycle(2)).containsExactly("stop job", "stop plain");
        Down down = events.expect(Down.class);
        assertThat(down.item()).isEqualTo(sup);
        assertThat(down.reason()).isEqualTo(Reasons.SHUTDOWN);
    }

    @Test
    void aSignificantChildThatIsRestartedDoesNotShutTheSupervisorDown() {
        Pid sup = startWatched(Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(5, LONG)
                .autoShutdown(AutoShutdown.ANY_SIGNIFICANT).child(significant("job", Restart.TRANSIENT)));
        events.started("job");
        node.send(pidOf(Supervisor.client(node, sup), "job"), new TestChild.Crash());
        assertThat(events.lifecycle(2)).containsExactly("stop job", "start job");
        assertThat(node.isAlive(sup)).isTrue();
    }

    @Test
    void allSignificantWaitsForTheLastSignificantChild() {
        Pid sup = startWatched(Supervisor.spec(Strategy.ONE_FOR_ONE).autoShutdown(AutoShutdown.ALL_SIGNIFICANT)
                .children(significant("j1", Restart.TEMPORARY), significant("j2", Restart.TEMPORARY),
                        TestChild.spec("plain", events.pid())));
        events.lifecycle(3);
        SupervisorClient client = Supervisor.client(node, sup);
        node.send(pidOf(client, "j1"), new TestChild.Crash());
        events.stopped("j1");
        await().atMost(Events.WAIT).until(() -> client.whichChildren().size() == 2);
        assertThat(client.whichChildren()).extracting(ChildInfo::id).containsExactly("plain", "j2");
        assertThat(node.isAlive(sup)).isTrue();

        node.send(pidOf(client, "j2"), new TestChild.ExitWith(Reasons.NORMAL));
        assertThat(events.lifecycle(2)).containsExactly("stop j2", "stop plain");
        assertThat(events.expect(Down.class).reason()).isEqualTo(Reasons.SHUTDOWN);
    }

    @Test
    void terminatingASignificantChildThroughTheApiDoesNotTriggerIt() {
        Pid sup = startWatched(Supervisor.spec(Strategy.ONE_FOR_ONE).autoShutdown(AutoShutdown.ANY_SIGNIFICANT)
                .child(significant("job", Restart.TRANSIENT)));
        events.started("job");
        Supervisor.client(node, sup).terminateChild("job");
        events.stopped("job");
        assertThat(events.mailbox().receive(m -> m instanceof Down, Duration.ofMillis(200))).isNull();
        assertThat(node.isAlive(sup)).isTrue();
    }

    /** The use case: a subtree that runs a job, and ends (with its parent) when the job is done. */
    @Test
    void autoShutdownCascadesThroughASignificantSubtree() {
        SupervisorSpec job = Supervisor.spec(Strategy.ONE_FOR_ONE).autoShutdown(AutoShutdown.ANY_SIGNIFICANT)
                .child(significant("step", Restart.TRANSIENT));
        Pid root = startWatched(Supervisor.spec(Strategy.ONE_FOR_ONE).autoShutdown(AutoShutdown.ANY_SIGNIFICANT)
                .children(TestChild.spec("service", events.pid()),
                        ChildSpec.supervisor("job", job).restart(Restart.TRANSIENT).significant(true)));
        events.lifecycle(2);
        Pid jobSup = pidOf(Supervisor.client(node, root), "job");
        node.send(pidOf(Supervisor.client(node, jobSup), "step"), new TestChild.ExitWith(Reasons.NORMAL));
        // the job supervisor exits with shutdown (not restarted: transient), which shuts the root down
        assertThat(events.lifecycle(2)).containsExactly("stop step", "stop service");
        Down down = events.expect(Down.class);
        assertThat(down.item()).isEqualTo(root);
        assertThat(down.reason()).isEqualTo(Reasons.SHUTDOWN);
    }
}
