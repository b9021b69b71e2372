package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Node;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What each strategy restarts, and in which order (supervisor.erl {@code restart/3}). */
class SupervisorStrategyTest {
    private final Node node = Node.start("sup_strategy_test@localhost");
    private final Events events = new Events(node);

    @AfterEach
    void stop() {
        node.close();
    }

    private SupervisorSpec fourChildren(Strategy strategy) {
        return Supervisor.spec(strategy).intensity(10, Duration.ofSeconds(60)).children(
                TestChild.spec("a", events.pid()), TestChild.spec("b", events.pid()),
                TestChild.spec("c", events.pid()), TestChild.spec("d", events.pid()));
    }

    private Map<String, Pid> pids(SupervisorClient client) {
        return client.whichChildren().stream()
                .filter(ChildInfo::isRunning)
                .collect(Collectors.toMap(ChildInfo::id, ChildInfo::pid));
    }

    @Test
    void oneForOneRestartsOnlyTheFailedChild() {
        Pid sup = Supervisor.start(node, fourChildren(Strategy.ONE_FOR_ONE));
        assertThat(events.lifecycle(4)).containsExactly("start a", "start b", "start c", "start d");
        SupervisorClient client = Supervisor.client(node, sup);
        Map<String, Pid> before = pids(client);

        node.send(before.get("b"), new TestChild.Crash());

        assertThat(events.lifecycle(2)).containsExactly("stop b", "start b");
        events.expectNoLifecycle(Duration.ofMillis(200)); // the siblings are not restarted: nothing else happens
        Map<String, Pid> after = pids(client);
        assertThat(after.get("b")).isNotEqualTo(before.get("b"));
        assertThat(after).containsEntry("a", before.get("a")).containsEntry("c", before.get("c"))
                .containsEntry("d", before.get("d"));
    }

    @Test
    void oneForAllStopsTheOthersInReverseAndRestartsAllInOrder() {
        Pid sup = Supervisor.start(node, fourChildren(Strategy.ONE_FOR_ALL));
        events.lifecycle(4);
        SupervisorClient client = Supervisor.client(node, sup);
        Map<String, Pid> before = pids(client);

        node.send(before.get("b"), new TestChild.Crash());

        assertThat(events.lifecycle(8)).containsExactly(
                "stop b", "stop d", "stop c", "stop a", "start a", "start b", "start c", "start d");
        Map<String, Pid> after = pids(client);
        before.forEach((id, pid) -> assertThat(after.get(id)).as(id).isNotEqualTo(pid));
    }

    @Test
    void restForOneRestartsTheFailedChildAndThoseStartedAfterIt() {
        Pid sup = Supervisor.start(node, fourChildren(Strategy.REST_FOR_ONE));
        events.lifecycle(4);
        SupervisorClient client = Supervisor.client(node, sup);
        Map<String, Pid> before = pids(client);

        node.send(before.get("b"), new TestChild.Crash());

        // b crashed; d and c stop, last started first; then b, c, d start again in their start order
        assertThat(events.lifecycle(6)).containsExactly("stop b", "stop d", "stop c", "start b", "start c", "start d");
        events.expectNoLifecycle(Duration.ofMillis(200));
        Map<String, Pid> after = pids(client);
        assertThat(after.get("a")).isEqualTo(before.get("a"));
        for (String id : List.of("b", "c", "d")) {
            assertThat(after.get(id)).as(id).isNotEqualTo(before.get(id));
        }
    }

    @Test
    void restForOneOnTheLastChildRestartsOnlyIt() {
        Pid sup = Supervisor.start(node, fourChildren(Strategy.REST_FOR_ONE));
        events.lifecycle(4);
        Map<String, Pid> before = pids(Supervisor.client(node, sup));

        node.send(before.get("d"), new TestChild.Crash());

        assertThat(events.lifecycle(2)).containsExactly("stop d", "start d");
        events.expectNoLifecycle(Duration.ofMillis(200));
    }

    /** supervisor.erl restart_multiple_children/3 starts every child of the group, also one terminated by the API. */
    @Test
    void oneForAllAlsoStartsAChildThatWasTerminatedThroughTheApi() {
        Pid sup = Supervisor.start(node, fourChildren(Strategy.ONE_FOR_ALL));
        events.lifecycle(4);
        SupervisorClient client = Supervisor.client(node, sup);
        client.terminateChild("c");
        assertThat(events.lifecycle(1)).containsExactly("stop c");

        node.send(pids(client).get("a"), new TestChild.Crash());

        assertThat(events.lifecycle(6)).containsExactly("stop a", "stop d", "stop b", "start a", "start b", "start c")
                .doesNotContain("stop c");
        assertThat(events.lifecycle(1)).containsExactly("start d");
        assertThat(client.whichChildren()).allMatch(ChildInfo::isRunning);
    }

    @Test
    void simpleOneForOneRestartsAChildAloneWithItsArgument() {
        SupervisorSpec spec = Supervisor.spec(Strategy.SIMPLE_ONE_FOR_ONE).intensity(10, Duration.ofSeconds(60))
                .child(ChildSpec.workerTemplate("conn", (String name) -> new TestChild(name, events.pid())));
        Pid sup = Supervisor.start(node, spec);
        SupervisorClient client = Supervisor.client(node, sup);
        Pid x = client.startDynamic("x").orElseThrow();
        Pid y = client.startDynamic("y").orElseThrow();
        assertThat(events.lifecycle(2)).containsExactly("start x", "start y");

        node.send(x, new TestChild.Crash());

        assertThat(events.lifecycle(2)).containsExactly("stop x", "start x");
        events.expectNoLifecycle(Duration.ofMillis(200));
        List<ChildInfo> children = client.whichChildren();
        assertThat(children).hasSize(2).allMatch(c -> c.id() == null && c.isRunning());
        assertThat(children).map(ChildInfo::pid).contains(y).doesNotContain(x);
        assertThat(client.countChildren()).isEqualTo(new ChildCounts(1, 2, 0, 2));
    }

    @Test
    void simpleOneForOneStopsAllChildrenWhenItTerminates() {
        SupervisorSpec spec = Supervisor.spec(Strategy.SIMPLE_ONE_FOR_ONE)
                .child(ChildSpec.workerTemplate("conn", (String name) -> new TestChild(name, events.pid())));
        Pid sup = Supervisor.start(node, spec);
        SupervisorClient client = Supervisor.client(node, sup);
        for (String name : List.of("p", "q", "r")) {
            client.startDynamic(name);
        }
        events.lifecycle(3);

        client.stop();

        List<String> stops = events.lifecycle(3);
        assertThat(stops).containsExactlyInAnyOrder("stop p", "stop q", "stop r");
        assertThat(node.isAlive(sup)).isFalse();
    }

    @Test
    void eachStrategyIsItsOwnClass() {
        Function<Strategy, String> impl = s -> switch (s) {
            case ONE_FOR_ONE -> "OneForOne";
            case ONE_FOR_ALL -> "OneForAll";
            case REST_FOR_ONE -> "RestForOne";
            case SIMPLE_ONE_FOR_ONE -> "SimpleOneForOne";
        };
        for (Strategy s : Strategy.values()) {
            assertThat(classExists("io.ergon.gen.internal." + impl.apply(s))).as(s.name()).isTrue();
        }
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
