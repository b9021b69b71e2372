package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ergon.node.Actor;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an application's own stop means by its mode (OTP 25's application_controller.erl, handle_info({'EXIT', ...})
 * at line 1184: temporary is reported; transient is reported after {@code normal}, else the controller stops and
 * the node with it; permanent always stops the node), what a failed start means (handle_application_started/3 at
 * line 948, lines 995-1030: the same rule; confirmed on a real node, see ApplicationErlangComparisonTest), and the
 * order applications stop in when the node shuts down (terminate/2 at line 1211: the running list, newest first,
 * each through its tree).
 */
class ApplicationModesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final Node node = Node.start("application_modes_test@localhost");
    private final Applications apps = Applications.of(node);
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        node.close();
    }

    /** An application whose root supervisor (intensity 0) runs {@code name.1} and {@code name.2}. */
    private ApplicationSpec app(String name) {
        return ApplicationSpec.of(name).root(Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(0, Duration.ofSeconds(5))
                .children(RecordingChild.spec(name + ".1", log), RecordingChild.spec(name + ".2", log)));
    }

    /** An application whose root is one plain worker, {@code name}. */
    private ApplicationSpec worker(String name) {
        return ApplicationSpec.of(name).root(() -> new RecordingChild(name, log));
    }

    private Pid rootOf(String app) {
        return apps.running().stream().filter(a -> a.name().equals(app)).findFirst().orElseThrow().root();
    }

    private Pid childOf(String app, String id) {
        return Supervisor.client(node, rootOf(app)).whichChildren().stream().filter(c -> c.id().equals(id))
                .findFirst().orElseThrow().pid();
    }

    private void awaitGone(String app) {
        await().atMost(WAIT).until(() -> !apps.isRunning(app));
    }

    @Test
    void aTemporaryApplicationThatStopsIsOnlyReported() {
        apps.load(app("other"));
        apps.load(app("temp"));
        apps.start("other", ApplicationMode.PERMANENT);
        apps.start("temp", ApplicationMode.TEMPORARY);
        node.send(childOf("temp", "temp.1"), new TestChild.Crash()); // intensity 0: its root gives up
        awaitGone("temp");
        assertThat(node.awaitTermination(Duration.ofMillis(300))).isFalse();
        assertThat(node.isShuttingDown()).isFalse();
        assertThat(apps.running()).extracting(RunningApplication::name).containsExactly("other");
    }

    @Test
    void aTransientApplicationWhoseRootExitsNormallyIsOnlyReported() {
        apps.load(worker("job"));
        apps.start("job", ApplicationMode.TRANSIENT);
        node.send(rootOf("job"), new TestChild.ExitWith(Reasons.NORMAL));
        awaitGone("job");
        assertThat(node.awaitTermination(Duration.ofMillis(300))).isFalse();
    }

    /** OTP checks for exactly normal here (line 1195): shutdown, which a supervisor exits with, is abnormal. */
    @Test
    void aTransientApplicationThatStopsAbnormallyTakesTheNodeDownGracefully() {
        apps.load(app("first"));
        apps.load(app("second"));
        apps.load(app("trans"));
        apps.start("first");
        apps.start("second");
        apps.start("trans", ApplicationMode.TRANSIENT);
        log.clear();

        node.send(childOf("trans", "trans.2"), new TestChild.Crash());

        assertThat(node.awaitTermination(WAIT)).isTrue();
        // trans's tree went first (its root gave up), then the others, newest first, each through its tree
        assertThat(log).containsExactly("stop trans.2", "stop trans.1", "stop second.2", "stop second.1",
                "stop first.2", "stop first.1");
    }

    @Test
    void aPermanentApplicationThatStopsEvenNormallyTakesTheNodeDown() {
        apps.load(app("other"));
        apps.load(worker("perm"));
        apps.start("other");
        apps.start("perm", ApplicationMode.PERMANENT);
        log.clear();

        node.send(rootOf("perm"), new TestChild.ExitWith(Reasons.NORMAL));

        assertThat(node.awaitTermination(WAIT)).isTrue();
        assertThat(log).containsExactly("stop perm", "stop other.2", "stop other.1");
    }

    @Test
    void stoppingAPermanentApplicationByHandDoesNotStopTheNode() {
        apps.load(app("perm"));
        apps.start("perm", ApplicationMode.PERMANENT);
        apps.stop("perm");
        assertThat(log).containsExactly("start perm.1", "start perm.2", "stop perm.2", "stop perm.1");
        assertThat(node.awaitTermination(Duration.ofMillis(300))).isFalse();
    }

    private ApplicationSpec failing(String name) {
        return ApplicationSpec.of(name).root(() -> new Actor() {
            @Override
            protected void init() {
                stop(Atom.of("no_license"));
            }
        });
    }

    @Test
    void aPermanentApplicationThatFailsToStartTakesTheNodeDown() {
        apps.load(app("other"));
        apps.load(failing("bad"));
        apps.start("other");
        assertThatThrownBy(() -> apps.start("bad", ApplicationMode.PERMANENT))
                .isInstanceOf(ApplicationException.class).hasMessageContaining("no_license");
        assertThat(node.awaitTermination(WAIT)).isTrue();
        assertThat(log).endsWith("stop other.2", "stop other.1");
    }

    /** The caller gets its answer before the node stops (and closes the caller's mailbox): no race. */
    @Test
    void theCallerOfAFailedPermanentStartLearnsWhyEvenWhenNothingElseRuns() {
        for (int i = 0; i < 20; i++) {
            try (Node alone = Node.start("permanent_failure_" + i + "@localhost")) {
                Applications only = Applications.of(alone);
                only.load(failing("bad"));
                assertThatThrownBy(() -> only.start("bad", ApplicationMode.PERMANENT))
                        .as("attempt %d", i).isInstanceOf(ApplicationException.class);
                assertThat(alone.awaitTermination(WAIT)).isTrue();
            }
        }
    }

    @Test
    void aTemporaryApplicationThatFailsToStartLeavesTheNodeRunning() {
        apps.load(failing("bad"));
        assertThatThrownBy(() -> apps.start("bad")).isInstanceOf(ApplicationException.class);
        assertThat(node.awaitTermination(Duration.ofMillis(300))).isFalse();
    }

    @Test
    void nodeShutdownStopsApplicationsNewestFirstEachThroughItsTreeBeforeOtherProcesses() {
        for (String name : List.of("a", "b", "c")) {
            apps.load(app(name));
            apps.start(name);
        }
        node.spawn(() -> new RecordingChild("loner", log));
        log.clear();

        node.close();

        assertThat(log).containsExactly("stop c.2", "stop c.1", "stop b.2", "stop b.1", "stop a.2", "stop a.1",
                "stop loner");
        assertThat(apps.running()).isEmpty();
    }
}
