package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Down;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences of child exits and dynamic child operations, run against a real supervisor and against
 * {@link SupervisorModel}; after every step the lifecycle events (which children stopped and started, in which
 * order), the API's replies, the children the supervisor lists (ids, order, which run, their pids) and the
 * supervisor's fate must agree.
 */
class SupervisorPropertyTest {
    private static final List<String> IDS = List.of("a", "b", "c", "d", "e");
    private static Node node;

    @BeforeContainer
    static void startNode() {
        node = Node.start("sup_properties@localhost");
    }

    @AfterContainer
    static void stopNode() {
        node.close();
    }

    enum ReasonKind {
        NORMAL(Reasons.NORMAL), SHUTDOWN(Reasons.SHUTDOWN), SHUTDOWN_TERM(Reasons.shutdown(Atom.of("done"))),
        CRASH(Atom.of("boom"));

        final Object reason;

        ReasonKind(Object reason) {
            this.reason = reason;
        }
    }

    record ChildDef(String id, Restart restart, boolean significant) {
    }

    sealed interface Op {
    }

    /** The running child at {@code index} (modulo their number) exits. */
    record Exit(int index, ReasonKind kind) implements Op {
    }

    record StartChild(ChildDef child) implements Op {
    }

    record TerminateChild(String id) implements Op {
    }

    record RestartChild(String id) implements Op {
    }

    record DeleteChild(String id) implements Op {
    }

    record Scenario(Strategy strategy, int intensity, AutoShutdown autoShutdown, List<ChildDef> initial,
                    List<Op> ops) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Strategy> strategy = Arbitraries.of(Strategy.ONE_FOR_ONE, Strategy.ONE_FOR_ALL,
                Strategy.REST_FOR_ONE);
        Arbitrary<AutoShutdown> auto = Arbitraries.of(AutoShutdown.class);
        Arbitrary<ChildDef> child = Combinators.combine(Arbitraries.of(IDS), Arbitraries.of(Restart.class),
                Arbitraries.of(false, false, true)).as(ChildDef::new);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Combinators.combine(Arbitraries.integers().between(0, 4),
                        Arbitraries.of(ReasonKind.class)).as(Exit::new)),
                net.jqwik.api.Tuple.of(2, child.map(StartChild::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(IDS).map(TerminateChild::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(IDS).map(RestartChild::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(IDS).map(DeleteChild::new)));
        return Combinators.combine(strategy, Arbitraries.integers().between(0, 4), auto,
                child.list().ofMaxSize(5), op.list().ofMinSize(3).ofMaxSize(20)).as(Scenario::new);
    }

    @Property(tries = 500)
    void aSupervisorBehavesLikeTheModel(@ForAll("scenarios") Scenario s) {
        // the valid, distinct initial children (an invalid spec is another test's business)
        Map<String, ChildDef> initial = new LinkedHashMap<>();
        for (ChildDef d : s.initial()) {
            boolean valid = !d.significant() || (s.autoShutdown() != AutoShutdown.NEVER
                    && d.restart() != Restart.PERMANENT);
            if (valid) {
                initial.putIfAbsent(d.id(), d);
            }
        }
        SupervisorModel model = new SupervisorModel(s.strategy(), s.intensity(), s.autoShutdown());
        try (Events events = new Events(node)) {
            Map<String, Pid> pids = new HashMap<>();
            SupervisorSpec spec = Supervisor.spec(s.strategy()).intensity(s.intensity(), Duration.ofMinutes(10))
                    .autoShutdown(s.autoShutdown());
            List<SupervisorModel.Kid> kids = new ArrayList<>();
            for (ChildDef d : initial.values()) {
                spec = spec.child(childSpec(d, events.pid()));
                kids.add(new SupervisorModel.Kid(d.id(), d.restart(), d.significant()));
            }
            Pid sup = Supervisor.start(node, spec);
            Ref supMon = events.mailbox().monitor(sup);
            SupervisorClient client = Supervisor.client(node, sup);
            expectEvents(events, model.start(kids), pids, "start");
            check(client, model, pids);

            for (Op op : s.ops()) {
                List<String> expected = new ArrayList<>();
                switch (op) {
                    case Exit(int index, ReasonKind kind) -> {
                        List<SupervisorModel.Kid> running = model.running();
                        if (running.isEmpty()) {
                            continue;
                        }
                        SupervisorModel.Kid kid = running.get(index % running.size());
                        Pid pid = pids.get(kid.id);
                        Ref mon = events.mailbox().monitor(pid);
                        node.send(pid, new TestChild.ExitWith(kind.reason));
                        expected.addAll(model.exit(kid, kind.reason));
                        expectEvents(events, expected, pids, op);
                        // its DOWN follows its EXIT to the supervisor: what we ask next is queued after it
                        events.expect(m -> m instanceof Down d && d.ref().equals(mon));
                    }
                    case StartChild(ChildDef d) -> {
                        String want = model.startChild(new SupervisorModel.Kid(d.id(), d.restart(), d.significant()),
                                expected);
                        assertThat(reply(() -> client.startChild(childSpec(d, events.pid())))).as("%s", op)
                                .isEqualTo(want);
                        expectEvents(events, expected, pids, op);
                    }
                    case TerminateChild(String id) -> {
                        String want = model.terminateChild(id, expected);
                        assertThat(reply(() -> client.terminateChild(id))).as("%s", op).isEqualTo(want);
                        expectEvents(events, expected, pids, op);
                    }
                    case RestartChild(String id) -> {
                        String want = model.restartChild(id, expected);
                        assertThat(reply(() -> client.restartChild(id))).as("%s", op).isEqualTo(want);
                        expectEvents(events, expected, pids, op);
                    }
                    case DeleteChild(String id) -> {
                        assertThat(reply(() -> client.deleteChild(id))).as("%s", op).isEqualTo(model.deleteChild(id));
                    }
                }
                if (!model.alive) {
                    Down down = (Down) events.expect(m -> m instanceof Down d && d.ref().equals(supMon));
                    assertThat(down.reason()).as("the supervisor's exit after %s", op).isEqualTo(Reasons.SHUTDOWN);
                    return;
                }
                check(client, model, pids);
            }
            client.stop();
        }
    }

    private static ChildSpec childSpec(ChildDef d, Pid report) {
        return TestChild.spec(d.id(), report).restart(d.restart()).significant(d.significant())
                .shutdown(Shutdown.timeout(Duration.ofSeconds(5)));
    }

    /** Receives exactly the expected lifecycle events, in order, recording the pids of the started children. */
    private static void expectEvents(Events events, List<String> expected, Map<String, Pid> pids, Object step) {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            Object m = events.mailbox().receive(x -> x instanceof Events.Started || x instanceof Events.Stopped,
                    Events.WAIT);
            if (m instanceof Events.Started st) {
                pids.put(st.id(), st.pid());
                got.add("start " + st.id());
            } else if (m instanceof Events.Stopped sp) {
                got.add("stop " + sp.id());
            } else {
                break;
            }
        }
        assertThat(got).as("events after %s", step).isEqualTo(expected);
    }

    private static String reply(Runnable call) {
        try {
            call.run();
            return "ok";
        } catch (SupervisorException e) {
            Object r = e.reason();
            return r instanceof Tuple t ? ((Atom) t.get(0)).name() : ((Atom) r).name();
        }
    }

    /** The supervisor lists the model's children, newest first, with the pids that reported their start. */
    private static void check(SupervisorClient client, SupervisorModel model, Map<String, Pid> pids) {
        List<ChildInfo> actual = client.whichChildren();
        List<String> want = new ArrayList<>();
        for (int i = model.kids.size() - 1; i >= 0; i--) {
            SupervisorModel.Kid k = model.kids.get(i);
            want.add(k.id + (k.running ? " running" : " stopped"));
        }
        assertThat(actual).map(c -> c.id() + (c.isRunning() ? " running" : " stopped")).isEqualTo(want);
        for (ChildInfo c : actual) {
            if (c.isRunning()) {
                assertThat(c.pid()).as("pid of %s", c.id()).isEqualTo(pids.get(c.id()));
            }
        }
        ChildCounts counts = client.countChildren();
        assertThat(counts.specs()).isEqualTo(model.kids.size());
        assertThat(counts.active()).isEqualTo(model.running().size());
    }
}
