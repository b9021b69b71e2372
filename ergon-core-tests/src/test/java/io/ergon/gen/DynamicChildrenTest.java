package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.node.Actor;
import io.ergon.node.CrashReason;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** start_child, terminate_child, restart_child, delete_child, which_children, count_children (supervisor.erl). */
class DynamicChildrenTest {
    private final Node node = Node.start("dynamic_children_test@localhost");
    private final Events events = new Events(node);

    @AfterEach
    void stop() {
        node.close();
    }

    private SupervisorClient supervisor(Strategy strategy, ChildSpec... children) {
        return Supervisor.client(node, Supervisor.start(node, Supervisor.spec(strategy)
                .intensity(10, Duration.ofSeconds(60)).children(children)));
    }

    private static Object errorOf(Runnable call) {
        try {
            call.run();
        } catch (SupervisorException e) {
            return e.reason();
        }
        throw new AssertionError("the supervisor accepted the request");
    }

    @Test
    void startChildAddsAfterTheOthersAndWhichChildrenListsNewestFirst() {
        SupervisorClient client = supervisor(Strategy.ONE_FOR_ONE, TestChild.spec("a", events.pid()));
        Pid b = client.startChild(TestChild.spec("b", events.pid())).orElseThrow();
        client.startChild(ChildSpec.supervisor("sub", Supervisor.spec(Strategy.ONE_FOR_ONE)));
        assertThat(events.lifecycle(2)).containsExactly("start a", "start b");

        assertThat(client.whichChildren()).extracting(ChildInfo::id).containsExactly("sub", "b", "a");
        assertThat(client.whichChildren()).filteredOn(c -> c.id().equals("b")).singleElement()
                .isEqualTo(new ChildInfo("b", b, false, ChildType.WORKER));
        assertThat(client.countChildren()).isEqualTo(new ChildCounts(3, 3, 1, 2));
        assertThat(client.childSpec("b").id()).isEqualTo("b");

        client.stop();
        assertThat(events.lifecycle(2)).containsExactly("stop b", "stop a"); // the newest stops first
    }

    @Test
    void theErrorsOfOtp() {
        SupervisorClient client = supervisor(Strategy.ONE_FOR_ONE, TestChild.spec("a", events.pid()));
        Pid a = client.whichChildren().get(0).pid();

        assertThat(errorOf(() -> client.startChild(TestChild.spec("a", events.pid()))))
                .isEqualTo(Tuple.of(Atom.of("already_started"), a));
        assertThat(errorOf(() -> client.restartChild("a"))).isEqualTo(Atom.of("running"));
        assertThat(errorOf(() -> client.deleteChild("a"))).isEqualTo(Atom.of("running"));
        for (Runnable unknown : List.<Runnable>of(() -> client.terminateChild("nope"),
                () -> client.restartChild("nope"), () -> client.deleteChild("nope"), () -> client.childSpec("nope"))) {
            assertThat(errorOf(unknown)).isEqualTo(Atom.of("not_found"));
        }

        client.terminateChild("a");
        assertThat(client.countChildren()).isEqualTo(new ChildCounts(1, 0, 0, 1));
        assertThat(errorOf(() -> client.startChild(TestChild.spec("a", events.pid()))))
                .isEqualTo(Atom.of("already_present"));
        Pid again = client.restartChild("a").orElseThrow();
        assertThat(again).isNotEqualTo(a);
        client.terminateChild("a");
        client.deleteChild("a");
        assertThat(client.whichChildren()).isEmpty();
        assertThat(events.lifecycle(4)).containsExactly("start a", "stop a", "start a", "stop a");
    }

    @Test
    void aTerminatedTemporaryChildIsForgotten() {
        SupervisorClient client = supervisor(Strategy.ONE_FOR_ONE);
        client.startChild(TestChild.spec("t", events.pid()).restart(Restart.TEMPORARY));
        client.terminateChild("t");
        assertThat(client.whichChildren()).isEmpty();
        assertThat(errorOf(() -> client.restartChild("t"))).isEqualTo(Atom.of("not_found"));
    }

    @Test
    void aChildThatFailsToStartIsRefusedAndTheSupervisorCarriesOn() {
        SupervisorClient client = supervisor(Strategy.ONE_FOR_ONE, TestChild.spec("a", events.pid()));
        ChildSpec broken = ChildSpec.worker("broken", () -> new Actor() {
            @Override
            protected void init() {
                throw new IllegalArgumentException("bad port");
            }
        });
        assertThatThrownBy(() -> client.startChild(broken)).isInstanceOfSatisfying(SupervisorException.class,
                e -> assertThat(e.reason()).isEqualTo(new CrashReason(new IllegalArgumentException("bad port"))));
        // the failed child's exit signal reached the supervisor too: it ignores it, as supervisor.erl does
        assertThat(client.whichChildren()).extracting(ChildInfo::id).containsExactly("a");
        assertThat(client.countChildren().active()).isEqualTo(1);
        events.started("a");
        events.expectNoLifecycle(Duration.ofMillis(100));
    }

    @Test
    void aChildThatIgnoresItsStartIsAcceptedWithoutAPid() {
        SupervisorClient client = supervisor(Strategy.ONE_FOR_ONE);
        ChildSpec lazy = ChildSpec.worker("lazy", () -> new Actor() {
            @Override
            protected void init() {
                ignore();
            }
        });
        assertThat(client.startChild(lazy)).isEmpty();
        assertThat(client.whichChildren()).containsExactly(new ChildInfo("lazy", null, false, ChildType.WORKER));
        ChildSpec lazyTemporary = new ChildSpec("lazy-temporary", lazy.type(), lazy.factory(), Restart.TEMPORARY,
                lazy.shutdown(), false, null);
        assertThat(client.startChild(lazyTemporary)).isEqualTo(Optional.empty());
        assertThat(client.whichChildren()).extracting(ChildInfo::id).containsExactly("lazy"); // temporary: dropped
    }

    @Test
    void aSignificantChildNeedsAnAutoShutdownSupervisor() {
        SupervisorClient client = supervisor(Strategy.ONE_FOR_ONE);
        assertThat(errorOf(() -> client.startChild(TestChild.spec("s", events.pid()).restart(Restart.TRANSIENT)
                .significant(true)))).isInstanceOfSatisfying(Tuple.class,
                t -> assertThat(t.get(0)).isEqualTo(Atom.of("bad_combination")));
    }

    @Test
    void simpleOneForOneKnowsChildrenByPidOnly() {
        SupervisorClient client = supervisor(Strategy.SIMPLE_ONE_FOR_ONE,
                ChildSpec.workerTemplate("conn", (String id) -> new TestChild(id, events.pid())));
        Pid x = client.startDynamic("x").orElseThrow();
        Atom simple = Atom.of("simple_one_for_one");
        assertThat(errorOf(() -> client.startChild(TestChild.spec("y", events.pid())))).isEqualTo(simple);
        assertThat(errorOf(() -> client.terminateChild("conn"))).isEqualTo(simple);
        assertThat(errorOf(() -> client.restartChild("conn"))).isEqualTo(simple);
        assertThat(errorOf(() -> client.deleteChild("conn"))).isEqualTo(simple);
        assertThat(client.childSpec("anything").id()).isEqualTo("conn");

        try (Mailbox stranger = node.mailbox()) {
            assertThat(errorOf(() -> client.terminateChild(stranger.pid()))).isEqualTo(Atom.of("not_found"));
        }
        client.terminateChild(x);
        assertThat(events.lifecycle(2)).containsExactly("start x", "stop x");
        assertThat(client.whichChildren()).isEmpty();
        client.terminateChild(x); // a dead pid that is not a child counts as terminated, as in supervisor.erl
        assertThat(errorOf(() -> supervisor(Strategy.ONE_FOR_ONE).startDynamic("z")))
                .isEqualTo(Atom.of("not_simple_one_for_one"));
    }

    @Test
    void theOperationsWorkFromAMailboxAndFromAnActor() {
        Pid sup = Supervisor.start(node, "workers", Supervisor.spec(Strategy.ONE_FOR_ONE));
        try (Mailbox me = node.mailbox()) {
            SupervisorClient viaMailbox = Supervisor.client(me, "workers");
            viaMailbox.startChild(TestChild.spec("m", events.pid()));
            assertThat(viaMailbox.whichChildren()).extracting(ChildInfo::id).containsExactly("m");
        }
        Pid actor = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                SupervisorClient client = Supervisor.client(node(), sup);
                client.startChild(TestChild.spec("from-actor", events.pid()));
                send(events.pid(), client.countChildren());
            }
        });
        node.send(actor, "go");
        assertThat(events.expect(ChildCounts.class)).isEqualTo(new ChildCounts(2, 2, 0, 2));
        assertThat(events.lifecycle(2)).containsExactly("start m", "start from-actor");
    }
}
