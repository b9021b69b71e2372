package io.ergon.node.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ergon.node.Actor;
import io.ergon.node.CallException;
import io.ergon.node.Node;
import io.ergon.term.Pid;
import io.ergon.term.TermFormat;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Configuration;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime's JFR events, read back from a {@link RecordingStream}: {@code io.ergon.Activation} for a turn that
 * held a worker past the threshold (a wait in a receive, suspended, is not part of a turn),
 * {@code io.ergon.ProcessCrash} for an abnormal exit; and no event object is made while no recording asks for one.
 */
class JfrEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final Node node = Node.start("jfr_events_test@localhost");

    @AfterEach
    void stop() {
        node.close();
    }

    /** Holds its worker for 80 ms per message, without calling Ergon. */
    static final class Hog extends Actor {
        @Override
        protected void handleMessage(Object message) {
            long end = System.nanoTime() + Duration.ofMillis(80).toNanos();
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }
    }

    /** Waits 150 ms in a receive that nothing matches: suspended, it holds no worker. */
    static final class Sleeper extends Actor {
        private final AtomicInteger done;

        Sleeper(AtomicInteger done) {
            this.done = done;
        }

        @Override
        protected void handleMessage(Object message) {
            receive(m -> false, Duration.ofMillis(150));
            done.incrementAndGet();
        }
    }

    /** Throws on every message. */
    static final class Crasher extends Actor {
        @Override
        protected void handleMessage(Object message) {
            throw new IllegalStateException("boom " + message);
        }
    }

    @Test
    void noEventIsMadeWhileNoRecordingAsks() throws Exception {
        assertThat(ActivationEvent.begin(null)).isNull();
        // nor in a recording with JFR's default settings: the activation event is off unless enabled by name
        try (RecordingStream rs = new RecordingStream(Configuration.getConfiguration("default"))) {
            rs.startAsync();
            assertThat(ActivationEvent.begin(null)).isNull();
        }
    }

    @Test
    void longActivationsAndCrashesAreRecorded() {
        List<RecordedEvent> activations = new CopyOnWriteArrayList<>();
        List<RecordedEvent> crashes = new CopyOnWriteArrayList<>();
        try (RecordingStream rs = new RecordingStream()) {
            rs.enable(ActivationEvent.NAME).withThreshold(Duration.ofMillis(20));
            rs.enable(CrashEvent.NAME);
            rs.onEvent(ActivationEvent.NAME, activations::add);
            rs.onEvent(CrashEvent.NAME, crashes::add);
            rs.setMaxAge(Duration.ofMinutes(1));
            rs.startAsync();
            await().atMost(WAIT).until(() -> ActivationEvent.begin(null) != null); // the recording is on

            AtomicInteger slept = new AtomicInteger();
            Pid sleeper = node.spawn(() -> new Sleeper(slept));
            node.send(sleeper, "wait");
            await().atMost(WAIT).until(() -> slept.get() == 1);

            Pid hog = node.spawnRegister("hog", Hog::new);
            node.send(hog, "work");
            Pid crasher = node.spawn(Crasher::new);
            try (var m = node.mailbox()) {
                m.monitor(crasher);
                node.send(crasher, "now");
                m.receive(x -> x instanceof io.ergon.node.Down, Duration.ofSeconds(30));
            }

            await().atMost(WAIT).until(() -> activations.stream().anyMatch(e -> about(e, hog))
                    && !crashes.isEmpty());
            RecordedEvent a = activations.stream().filter(e -> about(e, hog)).findFirst().orElseThrow();
            assertThat(a.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
            assertThat(a.getString("node")).isEqualTo(node.name().name());
            assertThat(a.getString("registeredName")).isEqualTo("hog");
            assertThat(a.getClass("behaviour").getName()).isEqualTo(Hog.class.getName());
            assertThat(activations).allSatisfy(e ->
                    assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(20)));
            if (NodeCore.suspendsWaitingProcesses()) {
                // its 150 ms were spent suspended, holding no worker: two short turns, neither as long as the wait
                // (a short turn can pass the 20 ms threshold when the machine takes the worker's CPU away a while)
                assertThat(activations).noneMatch(e -> about(e, sleeper)
                        && e.getDuration().compareTo(Duration.ofMillis(150)) >= 0);
            }

            RecordedEvent c = crashes.stream().filter(e -> about(e, crasher)).findFirst().orElseThrow();
            assertThat(c.getClass("behaviour").getName()).isEqualTo(Crasher.class.getName());
            assertThat(c.getString("reason")).isEqualTo("java.lang.IllegalStateException: boom now");
            assertThat(c.getClass("exception").getName()).isEqualTo(IllegalStateException.class.getName());
            assertThat(c.getString("message")).isEqualTo("boom now");
        }
    }

    @Test
    void aCrashEventNamesAKillWithoutAnException() {
        List<RecordedEvent> crashes = new CopyOnWriteArrayList<>();
        try (RecordingStream rs = new RecordingStream()) {
            rs.enable(CrashEvent.NAME);
            rs.onEvent(CrashEvent.NAME, crashes::add);
            rs.startAsync();
            Pid victim = node.spawn(Crasher::new);
            await().atMost(WAIT).untilAsserted(() -> {
                // until the recording has started, an exit may go unrecorded: kill a fresh one each time
                Pid p = node.spawn(Crasher::new);
                node.exit(p, io.ergon.node.Reasons.KILL);
                assertThat(crashes).isNotEmpty();
            });
            assertThat(crashes.get(0).getString("reason")).isEqualTo("killed");
            assertThat(crashes.get(0).getClass("exception")).isNull();
            assertThatThrownBy(() -> node.call(victim, "x")).isInstanceOf(CallException.class);
        }
    }

    /** Whether {@code e} is about process {@code p} (events name a pid in Erlang's syntax). */
    private static boolean about(RecordedEvent e, Pid p) {
        return TermFormat.format(p).equals(e.getString("pid"));
    }
}
