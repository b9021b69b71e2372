package io.ergon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Ergon and Erlang nodes of one test, meeting through the test's own EPMD. */
class TestClusterTest {
    @RegisterExtension
    final TestCluster cluster = TestCluster.create();

    @Test
    void ergonNodesMeet() {
        Node a = cluster.ergon("a");
        Node b = cluster.ergon("b");
        assertThat(a.ping(b.name().name())).isTrue();
        try (TestProbe probe = TestProbe.create(b, "inbox")) {
            a.send(io.ergon.node.Name.of("inbox", b.name().name()), "over");
            probe.expectMessage("over");
        }
    }

    @Test
    void anErlangNodeSendsToAProbe() {
        Node a = cluster.ergon("a");
        ErlangNode erl = cluster.erlang("e");
        try (TestProbe probe = TestProbe.create(a, "inbox")) {
            erl.eval("{inbox, 'a@localhost'} ! {hello, self(), <<\"from erlang\">>}.");
            Object m = probe.expectMessage(TermPattern.of("{hello, _, <<\"from erlang\">>}"));
            assertThat(m.toString()).contains("hello");
            assertThat(a.nodes()).extracting(Object::toString).contains(erl.name());
        }
    }

    /** What the child node runs: an echo registered as {@code echo}. */
    public static final class WithEcho implements java.util.function.Consumer<Node> {
        @Override
        public void accept(Node node) {
            node.spawnRegister("echo", () -> new io.ergon.node.Actor() {
                @Override
                protected void handleMessage(Object message) {
                    if (message instanceof io.ergon.term.Tuple t && t.size() == 2) {
                        send(t.get(0), t.get(1));
                    }
                }
            });
        }
    }

    @Test
    void aNodeInAJvmOfItsOwnAnswersAndItsKillIsSeen() {
        Node a = cluster.ergon("a");
        ChildJvm b = cluster.ergonJvm("b", WithEcho.class);
        try (TestProbe probe = TestProbe.create(a)) {
            a.send(io.ergon.node.Name.of("echo", "b@localhost"), io.ergon.term.Tuple.of(probe.pid(), "ping"));
            probe.expectMessage("ping");
            a.monitorNode(probe.pid(), "b@localhost");
            b.kill();
            probe.expectMessageClass(io.ergon.node.NodeDown.class);
        }
    }
}
