package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Actor;
import io.ergon.node.Down;
import io.ergon.node.Exit;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a child is stopped: brutal kill, a timeout then kill, or infinity (supervisor.erl shutdown/1). */
class ChildShutdownTest {
    private final Node node = Node.start("child_shutdown_test@localhost");
    private final Events events = new Events(node);

    @AfterEach
    void stop() {
        node.close();
    }

    /** Traps exits and ignores them: it does not stop when asked to. */
    static final class Stubborn extends Actor {
        private final String id;
        private final Pid report;

        Stubborn(String id, Pid report) {
            this.id = id;
            this.report = report;
        }

        @Override
        protected void init() {
            trapExit(true);
            send(report, new Events.Started(id, self()));
        }

        @Override
        protected void handleMessage(Object message) {
            if (message instanceof Exit e) {
                send(report, "ignoring " + e.reason());
            }
        }
    }

    /** Takes {@code millis} to stop. */
    static final class Slow extends TestChild {
        private final long millis;

        Slow(String id, Pid report, long millis) {
            super(id, report);
            this.millis = millis;
        }

        @Override
        protected void terminate(Object reason) {
            try {
                Thread.sleep(millis); // a child that is slow to stop: the point of these tests
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.terminate(reason);
        }
    }

    private Pid pidOf(SupervisorClient client, String id) {
        return client.whichChildren().stream().filter(c -> id.equals(c.id())).findFirst().orElseThrow().pid();
    }

    @Test
    void aChildThatIgnoresShutdownIsKilledAfterItsTimeout() {
        Duration timeout = Duration.ofMillis(300);
        Pid sup = Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).child(
                ChildSpec.worker("stubborn", () -> new Stubborn("stubborn", events.pid()))
                        .shutdown(Shutdown.timeout(timeout))));
        events.started("stubborn");
        SupervisorClient client = Supervisor.client(node, sup);
        Pid child = pidOf(client, "stubborn");
        try (Mailbox watcher = node.mailbox()) {
            watcher.monitor(child);
            long t0 = System.nanoTime();
            client.terminateChild("stubborn");
            long took = System.nanoTime() - t0;

            assertThat(events.expect(m -> m instanceof String)).isEqualTo("ignoring shutdown");
            assertThat(((Down) watcher.receive(m -> m instanceof Down, Events.WAIT)).reason())
                    .isEqualTo(Reasons.KILLED);
            assertThat(took).isGreaterThanOrEqualTo(timeout.toNanos())
                    .isLessThan(timeout.toNanos() + TimeUnit.SECONDS.toNanos(3));
        }
        assertThat(client.whichChildren()).singleElement().satisfies(c -> assertThat(c.isRunning()).isFalse());
    }

    @Test
    void aChildThatStopsInTimeIsNotKilled() {
        Pid sup = Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).child(
                TestChild.spec("polite", events.pid()).shutdown(Shutdown.timeout(Duration.ofSeconds(5)))));
        events.started("polite");
        SupervisorClient client = Supervisor.client(node, sup);
        long t0 = System.nanoTime();
        client.terminateChild("polite");
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(4));
        assertThat(events.stopped("polite").reason()).isEqualTo(Reasons.SHUTDOWN);
    }

    @Test
    void brutalKillDoesNotWaitEvenForATrappingChild() {
        Pid sup = Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).child(
                ChildSpec.worker("stubborn", () -> new Stubborn("stubborn", events.pid()))
                        .shutdown(Shutdown.brutalKill())));
        events.started("stubborn");
        SupervisorClient client = Supervisor.client(node, sup);
        Pid child = pidOf(client, "stubborn");
        try (Mailbox watcher = node.mailbox()) {
            watcher.monitor(child);
            client.terminateChild("stubborn");
            assertThat(((Down) watcher.receive(m -> m instanceof Down, Events.WAIT)).reason())
                    .isEqualTo(Reasons.KILLED);
        }
        assertThat(events.mailbox().receive(m -> m instanceof String, Duration.ofMillis(100))).isNull();
    }

    @Test
    void infinityWaitsForAWholeSubtreeToStop() {
        SupervisorSpec inner = Supervisor.spec(Strategy.ONE_FOR_ONE).children(
                ChildSpec.worker("slow1", () -> new Slow("slow1", events.pid(), 200)),
                ChildSpec.worker("slow2", () -> new Slow("slow2", events.pid(), 200)));
        assertThat(ChildSpec.supervisor("inner", inner).shutdown()).isEqualTo(Shutdown.infinity());
        Pid sup = Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).children(
                TestChild.spec("first", events.pid()), ChildSpec.supervisor("inner", inner),
                TestChild.spec("last", events.pid())));
        assertThat(events.lifecycle(4)).containsExactly("start first", "start slow1", "start slow2", "start last");

        Supervisor.client(node, sup).stop();

        assertThat(events.lifecycle(4)).containsExactly("stop last", "stop slow2", "stop slow1", "stop first");
        assertThat(node.isAlive(sup)).isFalse();
    }

    @Test
    void whenTheSupervisorStopsAStubbornChildIsKilledAndTheOthersStillStopInOrder() {
        Pid sup = Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).children(
                TestChild.spec("a", events.pid()),
                ChildSpec.worker("stubborn", () -> new Stubborn("stubborn", events.pid()))
                        .shutdown(Shutdown.timeout(Duration.ofMillis(100))),
                TestChild.spec("c", events.pid())));
        events.lifecycle(3);
        Supervisor.client(node, sup).stop();
        assertThat(events.lifecycle(2)).containsExactly("stop c", "stop a");
        assertThat(node.isAlive(sup)).isFalse();
    }
}
