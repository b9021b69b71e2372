package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Down;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnException;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import io.ergon.testkit.Quiescence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The same supervisor scenarios on a real Erlang node ({@code src/test/resources/erlang/ergon_sup_scenarios.erl})
 * and on Ergon: each prints the lifecycle events, replies and child lists it saw, and the two must be identical.
 * Where OTP's documentation leaves a rule open, Erlang's answer is the reference.
 */
@Tag("erlang")
class SupervisorErlangComparisonTest {
    private static Map<String, String> erlang;
    private final Node node = Node.start("sup_erlang_compare@localhost");
    private final Events events = new Events(node);

    @BeforeAll
    static void runTheErlangSide() throws Exception {
        ErlangRunner.assumeErlang();
        erlang = ErlangRunner.run("ergon_sup_scenarios", List.of("ergon_test_child", "ergon_sup_scenarios"),
                Duration.ofSeconds(120));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private void sameAsErlang(String scenario, Supplier<String> ergon) {
        assertThat(erlang).as("Erlang ran scenario %s", scenario).containsKey(scenario);
        assertThat(ergon.get()).as("scenario %s: Ergon vs Erlang", scenario).isEqualTo(erlang.get(scenario));
    }

    // ---------------------------------------------------------------- the helpers of ergon_sup_scenarios.erl

    private static SupervisorSpec flags(Strategy strategy) {
        return Supervisor.spec(strategy).intensity(10, Duration.ofSeconds(60));
    }

    private ChildSpec child(String id) {
        return TestChild.spec(id, events.pid());
    }

    private SupervisorClient start(SupervisorSpec spec) {
        return Supervisor.client(node, Supervisor.start(node, spec));
    }

    /** The lifecycle events of what the scenario did, all of them: read once the node has nothing left to do. */
    private String drain() {
        Quiescence.awaitNode(node, Events.WAIT);
        return events.drain(Duration.ZERO);
    }

    private static Pid pidOf(SupervisorClient sup, String id) {
        return sup.whichChildren().stream().filter(c -> id.equals(c.id())).findFirst().orElseThrow().pid();
    }

    private void exitChild(SupervisorClient sup, String id, Object reason) {
        Pid pid = pidOf(sup, id);
        Ref ref = events.mailbox().monitor(pid);
        node.send(pid, new TestChild.ExitWith(reason));
        events.expect(m -> m instanceof Down d && d.ref().equals(ref));
        try {
            sup.whichChildren();
        } catch (RuntimeException e) {
            // the supervisor may have exited: that is what the scenario looks at next
        }
    }

    private void stopSup(SupervisorClient sup) {
        sup.stop();
        drain();
    }

    private static String reply(Runnable call) {
        try {
            call.run();
            return "ok";
        } catch (SupervisorException e) {
            Object r = e.reason();
            if (r instanceof Tuple t && t.size() == 2 && t.get(0) == Atom.of("already_started")) {
                return "already_started";
            }
            return r instanceof Atom a ? a.name() : TermFormat.format(r);
        }
    }

    private static String ids(SupervisorClient sup) {
        return sup.whichChildren().stream()
                .map(c -> (c.id() == null ? "undefined" : c.id()) + ":"
                        + (c.isRunning() ? "running" : c.restarting() ? "restarting" : "undefined"))
                .collect(Collectors.joining(","));
    }

    private static String counts(SupervisorClient sup) {
        ChildCounts c = sup.countChildren();
        return c.specs() + "," + c.active() + "," + c.supervisors() + "," + c.workers();
    }

    private String fate(Ref mon) {
        Object m = events.mailbox().receive(x -> x instanceof Down d && d.ref().equals(mon), Duration.ofMillis(200));
        return m == null ? "alive" : "exit=" + TermFormat.format(((Down) m).reason());
    }

    // ---------------------------------------------------------------- scenarios

    private String strategy(Strategy strategy) {
        SupervisorClient sup = start(flags(strategy).children(child("a"), child("b"), child("c"), child("d")));
        String start = drain();
        exitChild(sup, "b", Atom.of("boom"));
        String after = drain();
        stopSup(sup);
        return start + " / " + after;
    }

    @Test
    void oneForOne() {
        sameAsErlang("one_for_one", () -> strategy(Strategy.ONE_FOR_ONE));
    }

    @Test
    void oneForAll() {
        sameAsErlang("one_for_all", () -> strategy(Strategy.ONE_FOR_ALL));
    }

    @Test
    void restForOne() {
        sameAsErlang("rest_for_one", () -> strategy(Strategy.REST_FOR_ONE));
    }

    /** Not in OTP's documentation, decided by Erlang: a one_for_all restart also starts a terminated child. */
    @Test
    void oneForAllAfterTerminateChild() {
        sameAsErlang("one_for_all_terminated", () -> {
            SupervisorClient sup = start(flags(Strategy.ONE_FOR_ALL).children(child("a"), child("b"), child("c"),
                    child("d")));
            drain();
            sup.terminateChild("c");
            String t = drain();
            exitChild(sup, "a", Atom.of("boom"));
            String after = drain();
            String ids = ids(sup);
            stopSup(sup);
            return t + " / " + after + " / " + ids;
        });
    }

    @Test
    void transientChildrenAndTheNormalReasons() {
        sameAsErlang("transient", () -> {
            List<String> parts = new ArrayList<>();
            for (Object r : List.of(Reasons.NORMAL, Reasons.SHUTDOWN, Reasons.shutdown(Atom.of("done")),
                    Atom.of("boom"))) {
                SupervisorClient sup = start(flags(Strategy.ONE_FOR_ONE)
                        .child(child("w").restart(Restart.TRANSIENT)));
                drain();
                exitChild(sup, "w", r);
                String e = drain();
                String ids = ids(sup);
                stopSup(sup);
                parts.add(TermFormat.format(r) + ":[" + e + "]:" + ids);
            }
            return String.join(" ", parts);
        });
    }

    @Test
    void intensityIsExceededOnRestartIntensityPlusOne() {
        sameAsErlang("intensity", () -> {
            Pid supPid = Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(2,
                    Duration.ofSeconds(60)).children(child("a"), child("w")));
            SupervisorClient sup = Supervisor.client(node, supPid);
            Ref mon = events.mailbox().monitor(supPid);
            drain();
            int crashes = 0;
            while (crashes < 10 && node.isAlive(supPid)) {
                exitChild(sup, "w", Atom.of("boom"));
                crashes++;
                events.mailbox().receive(m -> false, Duration.ofMillis(20)); // as the Erlang side's timer:sleep(20)
            }
            String ev = drain();
            return "crashes=" + crashes + " events=" + ev + " " + fate(mon);
        });
    }

    @Test
    void whichChildrenListsNewestFirstAndCounts() {
        sameAsErlang("which_order", () -> {
            SupervisorClient sup = start(flags(Strategy.ONE_FOR_ONE).children(child("a"), child("b")));
            sup.startChild(child("c"));
            sup.startChild(ChildSpec.supervisor("sub", flags(Strategy.ONE_FOR_ONE)));
            drain();
            String r = ids(sup) + " " + counts(sup);
            stopSup(sup);
            return r;
        });
    }

    @Test
    void theApisRepliesAndErrors() {
        sameAsErlang("dynamic_errors", () -> {
            SupervisorClient sup = start(flags(Strategy.ONE_FOR_ONE).child(child("a")));
            drain();
            List<Runnable> steps = List.of(
                    () -> sup.startChild(child("a")),
                    () -> sup.restartChild("a"),
                    () -> sup.deleteChild("a"),
                    () -> sup.terminateChild("nope"),
                    () -> sup.restartChild("nope"),
                    () -> sup.deleteChild("nope"),
                    () -> sup.childSpec("nope"),
                    () -> sup.terminateChild("a"),
                    () -> sup.startChild(child("a")),
                    () -> sup.restartChild("a"),
                    () -> sup.terminateChild("a"),
                    () -> sup.deleteChild("a"),
                    () -> sup.startChild(child("t").restart(Restart.TEMPORARY)),
                    () -> sup.terminateChild("t"),
                    () -> sup.restartChild("t"));
            String replies = steps.stream().map(SupervisorErlangComparisonTest::reply)
                    .collect(Collectors.joining(" "));
            String ids = ids(sup);
            stopSup(sup);
            return replies + " / [" + ids + "]";
        });
    }

    @Test
    void aFailedChildStartFailsTheSupervisorStart() {
        sameAsErlang("start_failure", () -> {
            ChildSpec failing = ChildSpec.worker("b", () -> new io.ergon.node.Actor() {
                @Override
                protected void init() {
                    stop(Atom.of("no_db"));
                }
            });
            try {
                Supervisor.start(node, flags(Strategy.ONE_FOR_ONE).children(child("a"), failing, child("c")));
                return "started";
            } catch (SpawnException e) {
                return TermFormat.format(e.reason()) + " / " + drain();
            }
        });
    }

    @Test
    void ignoredStarts() {
        sameAsErlang("ignore", () -> {
            ChildSpec kept = ChildSpec.worker("kept", () -> new io.ergon.node.Actor() {
                @Override
                protected void init() {
                    ignore();
                }
            });
            ChildSpec dropped = new ChildSpec("dropped", kept.type(), kept.factory(), Restart.TEMPORARY,
                    kept.shutdown(), false, null);
            SupervisorClient sup = start(flags(Strategy.ONE_FOR_ONE).children(kept, dropped, child("a")));
            drain();
            String r = ids(sup);
            stopSup(sup);
            return r;
        });
    }

    private Pid startWatched(SupervisorSpec spec) {
        Watcher.spawnMonitored(node, events.pid(), () -> new Supervisor(spec));
        return events.expect(Pid.class);
    }

    private String fateOf(Pid sup) {
        Object m = events.mailbox().receive(x -> x instanceof Down d && d.item().equals(sup), Duration.ofMillis(200));
        return m == null ? "alive" : "exit=" + TermFormat.format(((Down) m).reason());
    }

    @Test
    void autoShutdownAnySignificant() {
        sameAsErlang("auto_any", () -> {
            Pid sup = startWatched(Supervisor.spec(Strategy.ONE_FOR_ONE).autoShutdown(AutoShutdown.ANY_SIGNIFICANT)
                    .children(child("plain"), child("job").restart(Restart.TRANSIENT).significant(true)));
            drain();
            exitChild(Supervisor.client(node, sup), "job", Reasons.NORMAL);
            String e = drain();
            return e + " " + fateOf(sup);
        });
    }

    @Test
    void autoShutdownAllSignificant() {
        sameAsErlang("auto_all", () -> {
            Pid supPid = startWatched(Supervisor.spec(Strategy.ONE_FOR_ONE)
                    .autoShutdown(AutoShutdown.ALL_SIGNIFICANT).children(
                            child("j1").restart(Restart.TEMPORARY).significant(true),
                            child("j2").restart(Restart.TEMPORARY).significant(true), child("plain")));
            SupervisorClient sup = Supervisor.client(node, supPid);
            drain();
            exitChild(sup, "j1", Atom.of("boom"));
            String e1 = drain();
            String mid = fateOf(supPid) + " " + ids(sup);
            exitChild(sup, "j2", Reasons.NORMAL);
            String e2 = drain();
            return e1 + " " + mid + " / " + e2 + " " + fateOf(supPid);
        });
    }

    @Test
    void terminateChildDoesNotTriggerAutoShutdown() {
        sameAsErlang("auto_terminate_child", () -> {
            Pid supPid = startWatched(Supervisor.spec(Strategy.ONE_FOR_ONE).autoShutdown(AutoShutdown.ANY_SIGNIFICANT)
                    .child(child("job").restart(Restart.TRANSIENT).significant(true)));
            SupervisorClient sup = Supervisor.client(node, supPid);
            drain();
            sup.terminateChild("job");
            String e = drain();
            String r = e + " " + fateOf(supPid);
            stopSup(sup);
            return r;
        });
    }

    @Test
    void significantChildrenThatCannotBe() {
        sameAsErlang("bad_combination", () -> {
            SupervisorClient never = start(flags(Strategy.ONE_FOR_ONE));
            String r1 = error(() -> never.startChild(child("s").restart(Restart.TRANSIENT).significant(true)));
            stopSup(never);
            SupervisorClient any = start(Supervisor.spec(Strategy.ONE_FOR_ONE)
                    .autoShutdown(AutoShutdown.ANY_SIGNIFICANT));
            String r2 = error(() -> any.startChild(child("s").significant(true)));
            stopSup(any);
            return r1 + " " + r2;
        });
    }

    private static String error(Runnable call) {
        try {
            call.run();
            return "ok";
        } catch (SupervisorException e) {
            return TermFormat.format(Tuple.of(Atom.ERROR, e.reason()));
        }
    }

    @Test
    void shutdownTimeoutAndBrutalKill() {
        sameAsErlang("shutdown_kill", () -> {
            SupervisorClient sup = start(flags(Strategy.ONE_FOR_ONE).children(
                    ChildSpec.worker("s1", () -> new ChildShutdownTest.Stubborn("s1", events.pid()))
                            .shutdown(Shutdown.timeout(Duration.ofMillis(200))),
                    ChildSpec.worker("s2", () -> new ChildShutdownTest.Stubborn("s2", events.pid()))
                            .shutdown(Shutdown.brutalKill()),
                    child("p").shutdown(Shutdown.timeout(Duration.ofSeconds(5)))));
            drain();
            List<String> rs = new ArrayList<>();
            for (String id : List.of("s1", "s2", "p")) {
                Pid pid = pidOf(sup, id);
                Ref ref = events.mailbox().monitor(pid);
                sup.terminateChild(id);
                Down d = (Down) events.expect(m -> m instanceof Down x && x.ref().equals(ref));
                rs.add(id + ":" + TermFormat.format(d.reason()));
            }
            drain();
            events.mailbox().receive(m -> m instanceof String, Duration.ZERO);
            stopSup(sup);
            return String.join(" ", rs);
        });
    }

    @Test
    void simpleOneForOne() {
        sameAsErlang("simple", () -> {
            SupervisorClient sup = start(flags(Strategy.SIMPLE_ONE_FOR_ONE)
                    .child(ChildSpec.workerTemplate("conn", (String name) -> new TestChild(name, events.pid()))));
            Pid x = sup.startDynamic("x").orElseThrow();
            sup.startDynamic("y");
            String s = drain();
            Ref ref = events.mailbox().monitor(x);
            node.send(x, new TestChild.ExitWith(Atom.of("boom")));
            events.expect(m -> m instanceof Down d && d.ref().equals(ref));
            sup.whichChildren();
            String e = drain();
            String errors = String.join(" ", reply(() -> sup.terminateChild("conn")),
                    reply(() -> sup.restartChild("conn")), reply(() -> sup.deleteChild("conn")));
            String r = s + " / " + e + " / " + counts(sup) + " " + errors + " " + ids(sup);
            stopSup(sup);
            return r;
        });
    }

    @Test
    void nestedSupervisors() {
        sameAsErlang("nested", () -> {
            SupervisorSpec inner = Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(1, Duration.ofSeconds(60))
                    .children(child("x"), child("y"));
            SupervisorClient root = start(Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(3, Duration.ofSeconds(60))
                    .children(child("top"), ChildSpec.supervisor("inner", inner)));
            String s = drain();
            SupervisorClient innerSup = Supervisor.client(node, pidOf(root, "inner"));
            exitChild(innerSup, "x", Atom.of("boom"));
            String e1 = drain();
            exitChild(innerSup, "x", Atom.of("boom"));
            events.mailbox().receive(m -> false, Duration.ofMillis(50)); // as the Erlang side's timer:sleep(50)
            root.whichChildren();
            String e2 = drain();
            String r = s + " / " + e1 + " / " + e2 + " / " + ids(root);
            stopSup(root);
            return r;
        });
    }
}
