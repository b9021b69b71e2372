package io.ergon.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ergon.gen.GenServer;
import io.ergon.node.From;
import io.ergon.node.Node;
import io.ergon.testkit.ErlangNode;
import io.ergon.testkit.TestCluster;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An Ergon pool called from a real Erlang node with plain {@code gen_server:call}, and its refusal as Erlang sees it. */
class PoolInteropTest {
    @RegisterExtension
    static final TestCluster cluster = TestCluster.create();
    private static Node java;
    private static ErlangNode erl;
    private static String j;

    /** Replies {@code {Request, WorkerPid}}; holds {@code hold} calls unanswered. */
    static final class Echo extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return "hold".equals(request) || io.ergon.term.Atom.of("hold").equals(request) ? noReply()
                    : io.ergon.term.Tuple.of(request, self());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        java = cluster.ergon("ergon_pools");
        j = "'" + java.name().name() + "'";
        erl = cluster.erlang("erl_pools");
        assertThat(erl.eval("net_adm:ping(" + j + ").")).isEqualTo("pong");
    }

    @Test
    void erlangCallsThePoolAsAnyGenServerAndSeesItsWorkersTakeTurns() {
        Pool.start(java, Pool.spec("erl_facing", Echo::new).size(3));
        String pool = "{erl_facing, " + j + "}";
        assertThat(erl.eval("Ws = [element(2, gen_server:call(" + pool + ", I)) || I <- lists:seq(1, 6)], "
                + "{length(lists:usort(Ws)), lists:sublist(Ws, 3) =:= lists:nthtail(3, Ws), "
                + "lists:all(fun(W) -> node(W) =:= " + j + " end, Ws)}."))
                .isEqualTo("{3,true,true}");
    }

    @Test
    void anErlangCallerPastTheWaitingLimitGetsThePoolsRefusal() {
        Pool.start(java, Pool.spec("erl_full", Echo::new).size(1).maxWaiting(0));
        String pool = "{erl_full, " + j + "}";
        erl.eval("spawn(fun() -> catch gen_server:call(" + pool + ", hold, 5000) end), ok.");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Pool.client(java, "erl_full").status().requests() == 1);
        assertThat(erl.eval("gen_server:call(" + pool + ", next).")).isEqualTo("{'$ergon_pool_error',pool_full}");
    }
}
