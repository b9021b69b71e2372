package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.node.Actor;
import io.ergon.node.Down;
import io.ergon.node.Exit;
import io.ergon.node.ExitException;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnException;
import io.ergon.node.SpawnOptions;
import io.ergon.node.Spawned;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import io.ergon.testkit.ErlangNode;
import io.ergon.testkit.TestCluster;
import io.ergon.testing.TestProc;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Links, monitors, exits, remote spawn and rpc between Ergon and a real Erlang/OTP node, each direction. */
@Tag("erlang")
class ErlangFaultToleranceTest extends ErlangPeerFaultToleranceContract {
    @RegisterExtension
    static final TestCluster cluster = TestCluster.create();
    static Node java;
    static ErlangNode erl;
    static String report;

    @BeforeAll
    static void start() throws Exception {
        erl = cluster.erlang("erl_ft");
        java = cluster.ergon("ergon_ft");
        erl.loadResource("ergon_ft");
        report = "{ft_report, 'ergon_ft@localhost'}";
        Rpc.of(java).register("ft", "add", 2, args -> (Long) args.get(0) + (Long) args.get(1))
                .register("ft", "fail", args -> {
                    throw new IllegalStateException("failed on purpose");
                })
                .register("ft", "throw", args -> {
                    throw new Rpc.Throw(Atom.of("thrown"));
                })
                .allowSpawn("ft", "worker", args -> new TestProc(false, Name.of("nobody", "nowhere@localhost")));
    }

    @Override
    Node local() {
        return java;
    }

    @Override
    String peer() {
        return erl.name();
    }

    @Override
    Pid remoteProc(boolean trap) {
        erl.eval("ergon_ft:start(" + trap + ", undefined, " + report + ").");
        return ready();
    }

    // ------------------------------------------------------------------ rpc and spawn

    @Test
    void rpcFromErlangReturnsRaisesAndKnowsUndef() {
        String j = "'" + java.name().name() + "'";
        assertThat(erl.eval("rpc:call(" + j + ", ft, add, [2, 3]).")).isEqualTo("5");
        assertThat(erl.eval("erpc:call(" + j + ", ft, add, [40, 2]).")).isEqualTo("42");
        assertThat(erl.eval("rpc:call(" + j + ", ft, throw, []).")).isEqualTo("thrown");
        assertThat(erl.eval("try erpc:call(" + j + ", ft, throw, []) catch throw:T -> {caught, T} end."))
                .isEqualTo("{caught,thrown}");
        String failed = erl.eval("rpc:call(" + j + ", ft, fail, []).");
        assertThat(failed).startsWith("{badrpc,{'EXIT',{{java_exception,'java.lang.IllegalStateException',");
        assertThat(erl.eval("try erpc:call(" + j + ", ft, fail, []) catch error:{exception, R, _} -> element(1, R) end."))
                .isEqualTo("java_exception");
        assertThat(erl.eval("rpc:call(" + j + ", ft, nope, [1]).")).isEqualTo("{badrpc,{'EXIT',{undef,[{ft,nope,[1],[]}]}}}");
        assertThat(erl.eval("try erpc:call(" + j + ", ft, add, [1]) catch error:{exception, undef, _} -> undef end."))
                .isEqualTo("undef");
        assertThat(erl.eval("rpc:call(" + j + ", erlang, node, []).")).isEqualTo(java.name().name());
        assertThat(erl.eval("is_list(rpc:call(" + j + ", erlang, processes, [])).")).isEqualTo("true");
        assertThat(erl.eval("lists:member(rex, rpc:call(" + j + ", erlang, registered, [])).")).isEqualTo("true");
        assertThat(erl.eval("P = rpc:call(" + j + ", erlang, whereis, [net_kernel]), "
                + "{is_pid(P), rpc:call(" + j + ", erlang, is_process_alive, [P])}.")).isEqualTo("{true,true}");
        assertThat(erl.eval("lists:member(node(), rpc:call(" + j + ", erlang, nodes, [])).")).isEqualTo("true");
    }

    @Test
    void tenThousandRpcCallsFromErlangWithZeroFailures() {
        String j = "'" + java.name().name() + "'";
        assertThat(erl.eval("length([ok || I <- lists:seq(1, 10000), rpc:call(" + j + ", ft, add, [I, 1]) =:= I + 1]).",
                Duration.ofSeconds(120))).isEqualTo("10000");
    }

    @Test
    void erlangSpawnsOnErgonOnlyWhatIsAllowedWithLinkAndMonitor() {
        String j = "'" + java.name().name() + "'";
        // spawn_monitor of a permitted function: the process runs here, and the monitor reports its death
        assertThat(erl.eval("{P, R} = spawn_monitor(" + j + ", ft, worker, []), {ft_report, " + j + "} ! {spawned, P}, "
                + "exit(P, kill), receive {'DOWN', R, process, P, Why} -> Why after 5000 -> timeout end."))
                .isEqualTo("killed");
        Tuple spawned = (Tuple) expect(m -> m instanceof Tuple t && t.get(0).equals(Atom.of("spawned")));
        assertThat(((Pid) spawned.get(1)).node()).isEqualTo(java.name());
        // spawn_link: the link works both ways from the start
        assertThat(erl.eval("process_flag(trap_exit, true), P = spawn_link(" + j + ", ft, worker, []), exit(P, boom), "
                + "R = receive {'EXIT', P, Why} -> Why after 5000 -> timeout end, process_flag(trap_exit, false), R."))
                .isEqualTo("boom");
        // anything not granted is refused
        assertThat(erl.eval("catch spawn(" + j + ", ft, forbidden, []).")).contains("not_allowed");
        assertThat(erl.eval("catch erlang:spawn_link(" + j + ", lists, seq, [1, 2]).")).contains("not_allowed");
    }

    @Test
    void spawningOnANodeThatCannotBeReachedFailsWithNoconnection() {
        try (Mailbox m = java.mailbox()) {
            assertThatThrownBy(() -> m.spawnRemote("no_such_node@localhost", "timer", "sleep", List.of(1L),
                    SpawnOptions.none(), WAIT)).isInstanceOfSatisfying(SpawnException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reasons.NOCONNECTION));
        }
    }

    @Test
    void ergonCallsErlangThroughErpcAndRex() {
        Rpc rpc = Rpc.of(java);
        assertThat(rpc.call(erl.name(), "lists", "seq", List.of(1L, 3L), WAIT)).isEqualTo(List.of(1L, 2L, 3L));
        assertThat(rpc.callRex(erl.name(), "lists", "reverse", List.of(List.of(1L, 2L)), WAIT))
                .isEqualTo(List.of(2L, 1L));
        assertThatThrownBy(() -> rpc.call(erl.name(), "erlang", "error", List.of(BOOM), WAIT))
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RpcException.Kind.ERROR);
                    assertThat(e.reason()).isEqualTo(BOOM);
                });
        assertThatThrownBy(() -> rpc.callRex(erl.name(), "no_module", "f", List.of(), WAIT))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.kind()).isEqualTo(RpcException.Kind.BADRPC));
        // io:format on the Erlang side writes to our group leader: answered, not a crash
        assertThat(rpc.call(erl.name(), "io", "format", List.of(io.ergon.term.Binary.of("hello ~p~n"),
                List.of(42L)), WAIT)).isEqualTo(Atom.OK);
        assertThat(rpc.callRex(erl.name(), "io", "format", List.of(io.ergon.term.Binary.of("via rex ~w~n"),
                List.of(BOOM)), WAIT)).isEqualTo(Atom.OK);
    }

    @Test
    void erlangsSupervisorModuleCanLookAtAnErgonSupervisor() {
        io.ergon.gen.SupervisorSpec spec = io.ergon.gen.Supervisor.spec(io.ergon.gen.Strategy.ONE_FOR_ONE)
                .child(io.ergon.gen.ChildSpec.worker("alpha", () -> new TestProc(false, report())))
                .child(io.ergon.gen.ChildSpec.supervisor("inner", io.ergon.gen.Supervisor.spec(
                        io.ergon.gen.Strategy.ONE_FOR_ALL)));
        Pid sup = io.ergon.gen.Supervisor.start(java, "ft_sup", spec);
        try {
            Pid alpha = ready();
            String j = "'" + java.name().name() + "'";
            String children = erl.eval("supervisor:which_children({ft_sup, " + j + "}).");
            assertThat(children).startsWith("[{inner,<").contains(",supervisor,dynamic},{alpha,<")
                    .endsWith(",worker,dynamic}]");
            assertThat(erl.eval("supervisor:count_children({ft_sup, " + j + "}).")).isEqualTo(
                    "[{specs,2},{active,2},{supervisors,1},{workers,1}]");
            assertThat(alpha).isNotNull();
            assertThat(erl.eval("supervisor:terminate_child({ft_sup, " + j + "}, alpha).")).isEqualTo("ok");
            assertThat(erl.eval("supervisor:restart_child({ft_sup, " + j + "}, alpha).")).startsWith("{ok,<");
            assertThat(erl.eval("supervisor:restart_child({ft_sup, " + j + "}, alpha).")).as("it runs already")
                    .isEqualTo("{error,running}");
            assertThat(erl.eval("supervisor:terminate_child({ft_sup, " + j + "}, nobody).")).isEqualTo(
                    "{error,not_found}");
        } finally {
            java.exit(sup, Reasons.SHUTDOWN);
        }
    }
}
