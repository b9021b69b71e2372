package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * pg with Ergon nodes only, three in one JVM: every node sees the same members after joins, leaves, a member's exit
 * and a node going down; a scope started late learns the others' members; monitors get each change.
 */
class PgTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private EpmdServer epmd;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Mailbox> members = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
        for (String n : List.of("pg_a", "pg_b", "pg_c")) {
            nodes.add(Node.start(n + "@localhost", NodeOptions.defaults().distributed(true).cookie("pg")
                    .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress())));
        }
        assertThat(nodes.get(0).ping("pg_b@localhost")).isTrue();
        assertThat(nodes.get(0).ping("pg_c@localhost")).isTrue();
        assertThat(nodes.get(1).ping("pg_c@localhost")).isTrue();
    }

    @AfterEach
    void stop() {
        members.forEach(Mailbox::close);
        nodes.forEach(Node::close);
        epmd.close();
    }

    private Pid member(Node node) {
        Mailbox m = node.mailbox();
        members.add(m);
        return m.pid();
    }

    /** The members of {@code group} as each node sees them, as sorted text. */
    private List<List<String>> views(Object group) {
        List<List<String>> out = new ArrayList<>();
        for (Node n : nodes) {
            if (!n.isShuttingDown()) {
                out.add(Pg.of(n).members(group).stream().map(Pid::toString).sorted().toList());
            }
        }
        return out;
    }

    private void awaitEveryNodeSees(Object group, int count) {
        await().atMost(WAIT).untilAsserted(() -> {
            List<List<String>> v = views(group);
            assertThat(v).allSatisfy(view -> assertThat(view).hasSize(count));
            assertThat(v).containsOnly(v.get(0));
        });
    }

    @Test
    void joinsLeavesExitsAndANodeGoingDownReachEveryNode() {
        nodes.forEach(n -> Pg.startScope(n, Pg.DEFAULT_SCOPE));
        Pid a1 = member(nodes.get(0));
        Pid b1 = member(nodes.get(1));
        Pid b2 = member(nodes.get(1));
        Pid c1 = member(nodes.get(2));
        Pg.of(nodes.get(0)).join("workers", a1);
        Pg.of(nodes.get(1)).join("workers", b1, b2);
        Pg.of(nodes.get(2)).join("workers", c1);
        Pg.of(nodes.get(2)).join(Atom.of("other"), c1);
        awaitEveryNodeSees("workers", 4);
        awaitEveryNodeSees(Atom.of("other"), 1);
        assertThat(Pg.of(nodes.get(1)).localMembers("workers")).containsExactly(b1, b2);
        assertThat(Pg.of(nodes.get(0)).groups()).containsExactlyInAnyOrder(Binary.of("workers"), Atom.of("other"));
        assertThat(Pg.of(nodes.get(0)).localGroups()).as("a Java string is a binary on the wire")
                .containsExactly(Binary.of("workers"));

        assertThat(Pg.of(nodes.get(1)).leave("workers", b2)).isTrue();
        assertThat(Pg.of(nodes.get(1)).leave("workers", b2)).as("not_joined").isFalse();
        awaitEveryNodeSees("workers", 3);

        members.get(0).close(); // a1 exits
        awaitEveryNodeSees("workers", 2);

        nodes.get(2).close(); // c1 goes with its node
        awaitEveryNodeSees("workers", 1);
        assertThat(Pg.of(nodes.get(0)).members("workers")).containsExactly(b1);
        assertThat(Pg.of(nodes.get(0)).groups()).doesNotContain(Atom.of("other"));
    }

    @Test
    void aScopeStartedLateLearnsTheOthersMembers() {
        Pg.startScope(nodes.get(0), "late");
        Pg.startScope(nodes.get(1), "late");
        Pid a1 = member(nodes.get(0));
        Pg.of(nodes.get(0), "late").join("g", a1);
        Pg.startScope(nodes.get(2), "late");
        await().atMost(WAIT).until(() -> Pg.of(nodes.get(2), "late").members("g").equals(List.of(a1)));
        assertThat(Pg.of(nodes.get(2)).members("g")).as("another scope knows nothing of it").isEmpty();
    }

    @Test
    void monitorsGetEveryChangeWithTheirReference() {
        nodes.forEach(n -> Pg.startScope(n, Pg.DEFAULT_SCOPE));
        Pid b1 = member(nodes.get(1));
        try (Mailbox watcher = nodes.get(0).mailbox()) {
            Pg pg = Pg.of(nodes.get(0));
            Pg.Monitored<Map<Object, List<Pid>>> scope = pg.monitorScope(watcher);
            Pg.Monitored<List<Pid>> group = pg.monitor(watcher, "g");
            assertThat(scope.members()).isEmpty();
            Pg.of(nodes.get(1)).join("g", b1);
            List<Pg.Change> changes = List.of(Pg.Change.of(watcher.receive(WAIT)), Pg.Change.of(watcher.receive(WAIT)));
            assertThat(changes).extracting(Pg.Change::ref).containsExactlyInAnyOrder(scope.ref(), group.ref());
            assertThat(changes).allSatisfy(c -> assertThat(c).extracting(Pg.Change::joined, Pg.Change::group,
                    Pg.Change::pids).containsExactly(true, Binary.of("g"), List.of(b1)));
            assertThat(pg.demonitor(watcher, scope.ref())).isTrue();
            assertThat(pg.demonitor(watcher, scope.ref())).isFalse();
            Pg.of(nodes.get(1)).leave("g", b1);
            Pg.Change left = Pg.Change.of(watcher.receive(WAIT));
            assertThat(left.ref()).isEqualTo(group.ref());
            assertThat(left.joined()).isFalse();
            assertThat(watcher.receive(Duration.ofMillis(200))).as("nothing for the demonitored scope").isNull();
        }
    }

    @Test
    void onlyThisNodesProcessesJoinHere() {
        Pg.startScope(nodes.get(0), Pg.DEFAULT_SCOPE);
        Pid remote = member(nodes.get(1));
        assertThatThrownBy(() -> Pg.of(nodes.get(0)).join("g", remote)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nolocal");
    }
}
