package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Down;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * simple_one_for_one against a model: random dynamic starts, child exits and terminations; after every step the
 * children (by pid, oldest first), which run, and the supervisor's fate must agree.
 */
class SimpleOneForOnePropertyTest {
    private static Node node;

    @BeforeContainer
    static void startNode() {
        node = Node.start("simple_properties@localhost");
    }

    @AfterContainer
    static void stopNode() {
        node.close();
    }

    sealed interface Op {
    }

    record StartOne() implements Op {
    }

    record Exit(int index, SupervisorPropertyTest.ReasonKind kind) implements Op {
    }

    record Terminate(int index) implements Op {
    }

    record Scenario(Restart restart, boolean significant, AutoShutdown autoShutdown, int intensity, List<Op> ops) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(new StartOne())),
                Tuple.of(4, Combinators.combine(Arbitraries.integers().between(0, 5),
                        Arbitraries.of(SupervisorPropertyTest.ReasonKind.class)).as(Exit::new)),
                Tuple.of(1, Arbitraries.integers().between(0, 5).map(Terminate::new)));
        return Combinators.combine(Arbitraries.of(Restart.class), Arbitraries.of(false, true),
                Arbitraries.of(AutoShutdown.class), Arbitraries.integers().between(0, 4), op.list().ofMinSize(3).ofMaxSize(20))
                .as(Scenario::new)
                .filter(s -> !s.significant() || (s.autoShutdown() != AutoShutdown.NEVER
                        && s.restart() != Restart.PERMANENT));
    }

    /** A dynamic child in the model: its name (its start argument) and whether it runs. */
    static final class Kid {
        final String name;

        Kid(String name) {
            this.name = name;
        }
    }

    @Property(tries = 300)
    void aSimpleOneForOneSupervisorBehavesLikeTheModel(@ForAll("scenarios") Scenario s) {
        try (Events events = new Events(node)) {
            ChildSpec template = ChildSpec.workerTemplate("conn", (String name) -> new TestChild(name, events.pid()))
                    .restart(s.restart()).significant(s.significant());
            Pid sup = Supervisor.start(node, Supervisor.spec(Strategy.SIMPLE_ONE_FOR_ONE)
                    .intensity(s.intensity(), Duration.ofMinutes(10)).autoShutdown(s.autoShutdown()).child(template));
            Ref supMon = events.mailbox().monitor(sup);
            SupervisorClient client = Supervisor.client(node, sup);
            List<Kid> kids = new ArrayList<>(); // oldest first; a restarted child moves to the end
            List<Pid> pids = new ArrayList<>(); // same order
            int restarts = 0;
            int names = 0;
            boolean alive = true;
            for (Op op : s.ops()) {
                switch (op) {
                    case StartOne o -> {
                        String name = "n" + ++names;
                        Pid pid = client.startDynamic(name).orElseThrow();
                        assertThat(events.started(name).pid()).isEqualTo(pid);
                        kids.add(new Kid(name));
                        pids.add(pid);
                    }
                    case Terminate(int index) -> {
                        if (kids.isEmpty()) {
                            continue;
                        }
                        int i = index % kids.size();
                        client.terminateChild(pids.get(i));
                        assertThat(events.stopped(kids.get(i).name).reason()).isEqualTo(Reasons.SHUTDOWN);
                        kids.remove(i);
                        pids.remove(i);
                    }
                    case Exit(int index, SupervisorPropertyTest.ReasonKind kind) -> {
                        if (kids.isEmpty()) {
                            continue;
                        }
                        int i = index % kids.size();
                        Kid kid = kids.remove(i);
                        Pid pid = pids.remove(i);
                        Ref mon = events.mailbox().monitor(pid);
                        node.send(pid, new TestChild.ExitWith(kind.reason));
                        events.stopped(kid.name);
                        boolean restart = s.restart() == Restart.PERMANENT
                                || (s.restart() == Restart.TRANSIENT && !Reasons.isNormal(kind.reason));
                        if (restart && ++restarts > s.intensity()) {
                            alive = false;
                        } else if (restart) {
                            kids.add(kid);
                            pids.add(events.started(kid.name).pid());
                        } else if (s.significant() && (s.autoShutdown() == AutoShutdown.ANY_SIGNIFICANT
                                || kids.isEmpty())) {
                            alive = false;
                        }
                        events.expect(m -> m instanceof Down d && d.ref().equals(mon));
                    }
                }
                if (!alive) {
                    List<String> stops = new ArrayList<>();
                    for (int k = 0; k < kids.size(); k++) {
                        stops.add("stop " + events.expect(Events.Stopped.class).id());
                    }
                    assertThat(stops).containsExactlyInAnyOrderElementsOf(kids.stream().map(k -> "stop " + k.name)
                            .toList());
                    Down down = (Down) events.expect(m -> m instanceof Down d && d.ref().equals(supMon));
                    assertThat(down.reason()).isEqualTo(Reasons.SHUTDOWN);
                    return;
                }
                assertThat(client.whichChildren()).map(ChildInfo::pid).as("after %s", op).isEqualTo(pids);
                assertThat(client.countChildren()).isEqualTo(new ChildCounts(1, kids.size(), 0, kids.size()));
            }
            client.stop();
            List<String> stopped = new ArrayList<>();
            for (int k = 0; k < kids.size(); k++) {
                stopped.add(events.expect(Events.Stopped.class).id());
            }
            assertThat(stopped).containsExactlyInAnyOrderElementsOf(kids.stream().map(k -> k.name).toList());
        }
    }
}
