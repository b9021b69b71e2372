package io.ergon.observer;

import io.ergon.gen.ChildSpec;
import io.ergon.gen.GenServer;
import io.ergon.gen.Strategy;
import io.ergon.gen.Supervisor;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.SpawnOptions;
import io.ergon.term.Atom;
import io.ergon.testkit.ErlangNode;
import io.ergon.testkit.TestCluster;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * The cluster the observer tests watch, started in a test's {@link TestCluster} (which stops it): Ergon node
 * {@code obs_a} with a supervisor {@code obs_sup} (children {@code worker}, a {@link Counter}, and {@code helper}),
 * a mailbox {@code sink} that never receives, Ergon node {@code obs_b}, optionally a real Erlang node
 * {@code obs_erl} (with a registered {@code sink} that never takes its messages; the test is skipped without
 * {@code erl}), and the observer's own hidden node.
 */
final class ObservedCluster {
    /** A GenServer with a field sys:get_state shows. */
    static final class Counter extends GenServer {
        private final String label = "counted";
        private long count;

        @Override
        protected Object handleCall(Object request, From from) {
            return ++count;
        }
    }

    final Node a;
    final Node b;
    final Node observerNode;
    final Mailbox sink;

    ObservedCluster(TestCluster cluster, boolean withErlang) {
        a = cluster.ergon("obs_a");
        b = cluster.ergon("obs_b");
        if (!a.ping(b.name().name())) {
            throw new IllegalStateException("obs_a cannot reach obs_b");
        }
        a.spawn(() -> new Supervisor(Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(10, Duration.ofSeconds(5))
                .children(ChildSpec.worker("worker", Counter::new), ChildSpec.worker("helper", Counter::new))),
                SpawnOptions.none().register("obs_sup"));
        sink = a.mailbox("sink");
        if (withErlang) {
            ErlangNode erl = cluster.erlang("obs_erl");
            erl.eval("register(sink, spawn(fun() -> receive stop -> ok end end)), "
                    + "true = net_kernel:connect_node('obs_a@localhost'), "
                    + "true = net_kernel:connect_node('obs_b@localhost').");
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> a.nodes().contains(Atom.of(erl.name())) && b.nodes().contains(Atom.of(erl.name())));
        }
        observerNode = cluster.ergon("obs_observer", o -> o.hidden(true));
    }
}
