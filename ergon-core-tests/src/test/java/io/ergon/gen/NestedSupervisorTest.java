package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Supervisors under supervisors: a subtree that gives up is restarted by its parent; stopping is top-down. */
class NestedSupervisorTest {
    private static final Duration LONG = Duration.ofSeconds(60);
    private final Node node = Node.start("nested_sup_test@localhost");
    private final Events events = new Events(node);

    @AfterEach
    void stop() {
        node.close();
    }

    private SupervisorSpec tree() {
        SupervisorSpec inner = Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(1, LONG).children(
                TestChild.spec("x", events.pid()), TestChild.spec("y", events.pid()));
        return Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(3, LONG).children(
                TestChild.spec("top", events.pid()), ChildSpec.supervisor("inner", inner));
    }

    private static Pid pidOf(SupervisorClient client, String id) {
        return client.whichChildren().stream().filter(c -> id.equals(c.id())).findFirst().orElseThrow().pid();
    }

    @Test
    void aSubtreeThatExceedsItsIntensityIsRestartedByItsParent() {
        Pid root = Supervisor.start(node, tree());
        assertThat(events.lifecycle(3)).containsExactly("start top", "start x", "start y");
        SupervisorClient rootClient = Supervisor.client(node, root);
        Pid top = pidOf(rootClient, "top");
        Pid inner = pidOf(rootClient, "inner");
        SupervisorClient innerClient = Supervisor.client(node, inner);

        node.send(pidOf(innerClient, "x"), new TestChild.Crash());
        assertThat(events.lifecycle(2)).containsExactly("stop x", "start x"); // within the inner intensity
        node.send(pidOf(innerClient, "x"), new TestChild.Crash());

        // the inner supervisor gives up (stops y, exits shutdown); the root restarts the whole subtree
        assertThat(events.lifecycle(4)).containsExactly("stop x", "stop y", "start x", "start y");
        Pid newInner = pidOf(rootClient, "inner");
        assertThat(newInner).isNotEqualTo(inner);
        assertThat(node.isAlive(inner)).isFalse();
        assertThat(pidOf(rootClient, "top")).isEqualTo(top);
        assertThat(Supervisor.client(node, newInner).countChildren()).isEqualTo(new ChildCounts(2, 2, 0, 2));
    }

    @Test
    void stoppingTheRootStopsTheTreeDepthFirstInReverseOrder() {
        int before = node.processCount();
        Pid root = Supervisor.start(node, tree());
        events.lifecycle(3);
        Supervisor.client(node, root).stop();
        assertThat(events.lifecycle(3)).containsExactly("stop y", "stop x", "stop top");
        await().atMost(Events.WAIT).until(() -> node.processCount() == before);
    }

    @Test
    void killingTheRootLeavesNoOrphans() {
        int before = node.processCount();
        Pid root = Supervisor.start(node, tree());
        events.lifecycle(3);
        node.exit(root, Reasons.KILL);
        await().atMost(Events.WAIT).until(() -> node.processCount() == before);
    }
}
