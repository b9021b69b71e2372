package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ergon.node.Actor;
import io.ergon.node.CrashReason;
import io.ergon.node.Down;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnException;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Starting children in order, stopping them in reverse, and a start that fails (supervisor.erl init/1). */
class SupervisorStartStopTest {
    private final Node node = Node.start("sup_start_test@localhost");
    private final Events events = new Events(node);

    @AfterEach
    void stop() {
        node.close();
    }

    /** Its init fails with an exception. */
    static final class FailsInInit extends Actor {
        @Override
        protected void init() {
            throw new IllegalStateException("no database");
        }
    }

    /** Its init chooses to start nothing. */
    static final class Ignores extends Actor {
        @Override
        protected void init() {
            ignore();
        }
    }

    @Test
    void childrenStartInOrderAndStopInReverseOrder() {
        Pid sup = Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).children(
                TestChild.spec("a", events.pid()), TestChild.spec("b", events.pid()),
                TestChild.spec("c", events.pid())));
        assertThat(events.lifecycle(3)).containsExactly("start a", "start b", "start c");

        Supervisor.client(node, sup).stop();

        assertThat(events.lifecycle(3)).containsExactly("stop c", "stop b", "stop a");
        assertThat(node.isAlive(sup)).isFalse();
    }

    @Test
    void aChildThatFailsToStartFailsTheSupervisorStartAndStopsTheOthers() {
        int before = node.processCount();
        SupervisorSpec spec = Supervisor.spec(Strategy.ONE_FOR_ONE).children(
                TestChild.spec("a", events.pid()), TestChild.spec("b", events.pid()),
                ChildSpec.worker("db", FailsInInit::new), TestChild.spec("c", events.pid()));

        assertThatThrownBy(() -> Supervisor.start(node, spec))
                .isInstanceOfSatisfying(SpawnException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Tuple.of(Reasons.SHUTDOWN, Tuple.of(
                            Atom.of("failed_to_start_child"), Atom.of("db"),
                            new CrashReason(new IllegalStateException("no database")))));
                    assertThat(e.getMessage()).contains("failed_to_start_child", "db");
                });
        // c never started; a and b were stopped, last started first
        assertThat(events.lifecycle(4)).containsExactly("start a", "start b", "stop b", "stop a");
        events.expectNoLifecycle(Duration.ofMillis(100));
        await().atMost(Events.WAIT).until(() -> node.processCount() == before);
    }

    @Test
    void aChildInitThatStopsGivesItsReason() {
        SupervisorSpec spec = Supervisor.spec(Strategy.ONE_FOR_ONE).child(ChildSpec.worker("x", () -> new Actor() {
            @Override
            protected void init() {
                stop(Tuple.of(Atom.of("bad_config"), "port"));
            }
        }));
        assertThatThrownBy(() -> Supervisor.start(node, spec)).isInstanceOfSatisfying(SpawnException.class,
                e -> assertThat(e.reason()).isEqualTo(Tuple.of(Reasons.SHUTDOWN, Tuple.of(
                        Atom.of("failed_to_start_child"), Atom.of("x"), Tuple.of(Atom.of("bad_config"), "port")))));
    }

    @Test
    void aChildThatIgnoresItsStartIsKeptNotRunningUnlessTemporary() {
        Pid sup = Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).children(
                ChildSpec.worker("kept", Ignores::new),
                ChildSpec.worker("dropped", Ignores::new).restart(Restart.TEMPORARY),
                TestChild.spec("a", events.pid())));
        assertThat(Supervisor.client(node, sup).whichChildren()).satisfiesExactly(
                a -> assertThat(a.id()).isEqualTo("a"),
                kept -> {
                    assertThat(kept.id()).isEqualTo("kept");
                    assertThat(kept.isRunning()).isFalse();
                    assertThat(kept.restarting()).isFalse();
                });
    }

    @Test
    void badSpecsFailTheStartWithOtpsReasons() {
        ChildSpec a = TestChild.spec("a", events.pid());
        assertThat(startFailure(Supervisor.spec(Strategy.ONE_FOR_ONE).children(a, a)))
                .isEqualTo(Tuple.of(Atom.of("start_spec"), Tuple.of(Atom.of("duplicate_child_name"), Atom.of("a"))));
        assertThat(startFailure(Supervisor.spec(Strategy.ONE_FOR_ONE)
                .child(a.restart(Restart.TRANSIENT).significant(true))))
                .isEqualTo(Tuple.of(Atom.of("start_spec"), Tuple.of(Atom.of("bad_combination"), List.of(
                        Tuple.of(Atom.of("auto_shutdown"), Atom.of("never")), Tuple.of(Atom.of("significant"),
                                Atom.TRUE)))));
        assertThat(startFailure(Supervisor.spec(Strategy.ONE_FOR_ONE).autoShutdown(AutoShutdown.ANY_SIGNIFICANT)
                .child(a.significant(true))))
                .isEqualTo(Tuple.of(Atom.of("start_spec"), Tuple.of(Atom.of("bad_combination"), List.of(
                        Tuple.of(Atom.of("restart"), Atom.of("permanent")), Tuple.of(Atom.of("significant"),
                                Atom.TRUE)))));
        assertThat(startFailure(Supervisor.spec(Strategy.SIMPLE_ONE_FOR_ONE).children(a,
                TestChild.spec("b", events.pid()))))
                .isEqualTo(Tuple.of(Atom.of("bad_start_spec"), List.of(Atom.of("a"), Atom.of("b"))));
        events.expectNoLifecycle(Duration.ofMillis(50));
    }

    @Test
    void flagsAreCheckedWhenBuilt() {
        assertThatThrownBy(() -> Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(-1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("intensity");
        assertThatThrownBy(() -> Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period");
    }

    private Object startFailure(SupervisorSpec spec) {
        try {
            Supervisor.start(node, spec);
        } catch (SpawnException e) {
            return e.reason();
        }
        throw new AssertionError("the supervisor started");
    }

    /** OTP's Module:init/1: a subclass computes its spec each time it starts. */
    static final class Computed extends Supervisor {
        private final Pid report;

        Computed(Pid report) {
            this.report = report;
        }

        @Override
        protected SupervisorSpec specification() {
            return Supervisor.spec(Strategy.ONE_FOR_ALL).child(TestChild.spec("only", report));
        }
    }

    @Test
    void aSubclassProvidesItsSpec() {
        Pid sup = node.spawnRegister("computed", () -> new Computed(events.pid()));
        events.started("only");
        assertThat(Supervisor.client(node, "computed").countChildren()).isEqualTo(new ChildCounts(1, 1, 0, 1));
        assertThat(node.whereis("computed")).isEqualTo(sup);
    }

    @Test
    void aSupervisorStoppedByItsParentStopsItsChildrenFirst() {
        try (var parent = node.mailbox()) {
            parent.trapExit(true);
            // a supervisor spawned and linked by an actor: its parent's exit stops it, children first
            Pid owner = node.spawn(() -> new Actor() {
                @Override
                protected void handleMessage(Object message) {
                    Pid sup = spawnLink(() -> new Supervisor(Supervisor.spec(Strategy.ONE_FOR_ONE).children(
                            TestChild.spec("a", events.pid()), TestChild.spec("b", events.pid()))));
                    send(parent.pid(), sup);
                    stop(Reasons.SHUTDOWN);
                }
            });
            node.send(owner, "go");
            Pid sup = (Pid) parent.receive(m -> m instanceof Pid, Events.WAIT);
            assertThat(events.lifecycle(4)).containsExactly("start a", "start b", "stop b", "stop a");
            await().atMost(Events.WAIT).until(() -> !node.isAlive(sup));
        }
    }

    @Test
    void aSupervisorKilledOutrightTakesItsChildrenWithIt() {
        Pid sup = Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).children(
                TestChild.spec("a", events.pid()), TestChild.spec("b", events.pid())));
        List<ChildInfo> children = Supervisor.client(node, sup).whichChildren();
        events.lifecycle(2);
        try (var watcher = node.mailbox()) {
            children.forEach(c -> watcher.monitor(c.pid()));
            node.exit(sup, Reasons.KILL);
            for (int i = 0; i < 2; i++) {
                Down down = (Down) watcher.receive(m -> m instanceof Down, Events.WAIT);
                assertThat(down.reason()).isEqualTo(Reasons.KILLED);
            }
        }
    }
}
