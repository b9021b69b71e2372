package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Actor;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.testkit.Quiescence;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Application scenarios on a real Erlang node ({@code src/test/resources/erlang/ergon_app_scenarios.erl}) and on
 * Ergon, compared. The fatal ones (a permanent application that stops, a transient one that stops abnormally, a
 * permanent one that fails to start) take the Erlang node down, and must take the Ergon node down too.
 *
 * <p>One deliberate difference, not compared: OTP's {@code application:start/2} refuses an application whose
 * dependencies are not running ({@code {not_started, Dep}}), and {@code ensure_all_started/2} starts them and
 * stops them again if a later one is missing. Ergon's {@code start} is {@code ensure_all_started}, and checks that
 * every dependency is loaded before it starts anything; both leave nothing running.
 */
@Tag("erlang")
class ApplicationErlangComparisonTest {
    private static Path compiled;
    private static Map<String, String> erlang;
    private final Node node = Node.start("app_erlang_compare@localhost");
    private final Events events = new Events(node);
    private final Applications apps = Applications.of(node);

    @BeforeAll
    static void runTheErlangSide() throws Exception {
        ErlangRunner.assumeErlang();
        compiled = ErlangRunner.compile(List.of("ergon_test_child", "ergon_sup_scenarios", "ergon_test_app",
                "ergon_app_scenarios"));
        erlang = ErlangRunner.call(compiled, "ergon_app_scenarios", "main", Duration.ofSeconds(60)).results();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private void sameAsErlang(String scenario, Supplier<String> ergon) {
        assertThat(erlang).as("Erlang ran scenario %s", scenario).containsKey(scenario);
        assertThat(ergon.get()).as("scenario %s: Ergon vs Erlang", scenario).isEqualTo(erlang.get(scenario));
    }

    // ---------------------------------------------------------------- the helpers of ergon_app_scenarios.erl

    private ApplicationSpec sup(String name, String... deps) {
        return ApplicationSpec.of(name).description(name).version("1.0").dependsOn(deps)
                .root(Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(0, Duration.ofSeconds(5)).children(
                        TestChild.spec(name + ".1", events.pid()), TestChild.spec(name + ".2", events.pid())));
    }

    private ApplicationSpec worker(String name) {
        return ApplicationSpec.of(name).root(() -> new TestChild(name, events.pid()));
    }

    private ApplicationSpec failing(String name) {
        return ApplicationSpec.of(name).root(() -> new Actor() {
            @Override
            protected void init() {
                stop(Atom.of("no_license"));
            }
        });
    }

    private String running() {
        return apps.running().stream().map(RunningApplication::name).collect(Collectors.joining(","));
    }

    /** The lifecycle events of what the scenario did, all of them: read once the node has nothing left to do. */
    private String drain() {
        Quiescence.awaitNode(node, Events.WAIT);
        return events.drain(Duration.ZERO);
    }

    /** Waits until what the scenario set off has run its course. */
    private void settle() {
        Quiescence.awaitNode(node, Events.WAIT);
    }

    // ---------------------------------------------------------------- scenarios

    @Test
    void dependenciesStartFirst() {
        sameAsErlang("dependencies_first", () -> {
            apps.load(sup("db"));
            apps.load(sup("cache", "db"));
            apps.load(sup("shop", "db", "cache"));
            List<String> started = apps.start("shop");
            return "[" + String.join(",", started) + "] / " + drain() + " / " + running();
        });
    }

    @Test
    void aMissingDependencyLeavesNothingRunning() {
        sameAsErlang("missing_dependency", () -> {
            apps.load(sup("db"));
            apps.load(sup("shop", "db", "payments"));
            try {
                apps.start("shop");
            } catch (ApplicationException expected) {
                // refused
            }
            drain();
            return "running=[" + running() + "]";
        });
    }

    @Test
    void runningListsTheNewestFirst() {
        sameAsErlang("which_order", () -> {
            for (String name : List.of("a", "b", "c")) {
                apps.load(sup(name));
                apps.start(name);
            }
            drain();
            return running();
        });
    }

    @Test
    void aTemporaryApplicationThatStopsIsForgotten() {
        sameAsErlang("temporary_exit", () -> {
            apps.load(sup("other"));
            apps.load(sup("temp"));
            apps.start("other", ApplicationMode.PERMANENT);
            apps.start("temp", ApplicationMode.TEMPORARY);
            drain();
            SupervisorClient top = Supervisor.client(node, apps.running().get(0).root());
            node.send(top.whichChildren().get(0).pid(), new TestChild.ExitWith(Atom.of("boom")));
            settle();
            return drain() + " / " + running();
        });
    }

    @Test
    void aTransientApplicationThatExitsNormallyIsForgotten() {
        sameAsErlang("transient_normal", () -> {
            apps.load(worker("job"));
            apps.start("job", ApplicationMode.TRANSIENT);
            drain();
            node.send(apps.running().get(0).root(), new TestChild.ExitWith(Reasons.NORMAL));
            settle();
            return drain() + " / running=[" + running() + "]";
        });
    }

    @Test
    void aTemporaryApplicationThatFailsToStart() {
        sameAsErlang("temporary_start_failure", () -> {
            apps.load(failing("bad"));
            try {
                apps.start("bad");
            } catch (ApplicationException expected) {
                // refused
            }
            settle();
            return "running=[" + running() + "]";
        });
    }

    @Test
    void aPermanentApplicationStoppedByHand() {
        sameAsErlang("stop_by_hand", () -> {
            apps.load(sup("perm"));
            apps.start("perm", ApplicationMode.PERMANENT);
            apps.stop("perm");
            settle();
            return drain() + " / running=[" + running() + "]";
        });
    }

    // ---------------------------------------------------------------- the node goes down

    /** Runs a fatal scenario on Erlang: it must print "before", then the node must stop without "survived". */
    private static String erlangTakesTheNodeDown(String scenario) throws Exception {
        ErlangRunner.Output out = ErlangRunner.call(compiled, "ergon_app_scenarios", scenario,
                Duration.ofSeconds(30));
        assertThat(out.results()).as(out.text()).containsKey("before").doesNotContainKey("survived");
        assertThat(out.text()).contains("Kernel pid terminated");
        return out.text();
    }

    @Test
    void aPermanentApplicationThatStopsNormallyTakesTheNodeDown() throws Exception {
        assertThat(erlangTakesTheNodeDown("permanent_exit")).contains("{application_terminated,perm,normal}");
        apps.load(worker("perm"));
        apps.start("perm", ApplicationMode.PERMANENT);
        node.send(apps.running().get(0).root(), new TestChild.ExitWith(Reasons.NORMAL));
        assertThat(node.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aTransientApplicationWhoseSupervisorGivesUpTakesTheNodeDown() throws Exception {
        assertThat(erlangTakesTheNodeDown("transient_abnormal")).contains("{application_terminated,trans,shutdown}");
        apps.load(sup("trans"));
        apps.start("trans", ApplicationMode.TRANSIENT);
        SupervisorClient top = Supervisor.client(node, apps.running().get(0).root());
        node.send(top.whichChildren().get(0).pid(), new TestChild.ExitWith(Atom.of("boom")));
        assertThat(node.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aPermanentApplicationThatFailsToStartTakesTheNodeDown() throws Exception {
        assertThat(erlangTakesTheNodeDown("permanent_start_failure")).contains("{application_start_failure,bad,");
        apps.load(failing("bad"));
        try {
            apps.start("bad", ApplicationMode.PERMANENT);
        } catch (ApplicationException expected) {
            // and the node goes down
        }
        assertThat(node.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }
}
