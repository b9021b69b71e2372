package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.gen.GenServer;
import io.ergon.node.From;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.testkit.ErlangNode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Erlang's introspection BIFs asked of an Ergon node by a real Erlang node over rpc, each checked against the shape
 * of the same call on the Erlang node itself (issue 13: they were undef).
 */
@Tag("erlang")
class ErlangIntrospectionTest {
    static final String COOKIE = "ergon_intro";
    static EpmdServer epmd;
    static Node java;
    static Node hidden;
    static ErlangNode erl;
    static String j;

    static final class Greeter extends GenServer {
        private long calls;
        private final String greeting = "hello";

        @Override
        protected Object handleCall(Object request, From from) {
            calls++;
            return request;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        ErlangNode.assumeAvailable();
        epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
        java = Node.start("ergon_intro@localhost", options());
        j = "'" + java.name().name() + "'";
        java.spawnRegister("greeter", Greeter::new);
        hidden = Node.start("ergon_intro_hidden@localhost", options().hidden(true));
        assertThat(hidden.ping(java.name().name())).isTrue();
        erl = ErlangNode.start("erl_intro", COOKIE, epmd.port());
        assertThat(erl.eval("net_adm:ping(" + j + ").")).isEqualTo("pong");
    }

    static NodeOptions options() {
        return NodeOptions.defaults().distributed(true).cookie(COOKIE).epmdPort(epmd.port())
                .listenAddress(InetAddress.getLoopbackAddress());
    }

    @AfterAll
    static void stop() {
        if (erl != null) {
            erl.close();
        }
        if (hidden != null) {
            hidden.close();
        }
        if (java != null) {
            java.close();
        }
        if (epmd != null) {
            epmd.close();
        }
    }

    @Test
    void processInfoHasErlangsItemsAndShapes() {
        assertThat(erl.eval("P = rpc:call(" + j + ", erlang, whereis, [greeter]), "
                + "I = rpc:call(" + j + ", erlang, process_info, [P]), "
                + "{is_list(I), proplists:get_value(registered_name, I), "
                + "is_integer(proplists:get_value(message_queue_len, I)), proplists:get_value(status, I), "
                + "lists:usort(proplists:get_keys(I)) -- proplists:get_keys(process_info(whereis(init))) }."))
                .as("{list, name, integer queue, status, keys Erlang does not have}")
                .isEqualTo("{true,greeter,true,waiting,[]}");
        assertThat(erl.eval("P = rpc:call(" + j + ", erlang, whereis, [greeter]), "
                + "{rpc:call(" + j + ", erlang, process_info, [P, message_queue_len]), "
                + "rpc:call(" + j + ", erlang, process_info, [P, [trap_exit, links]])}."))
                .isEqualTo("{{message_queue_len,0},[{trap_exit,false},{links,[]}]}");
        assertThat(erl.eval("P = rpc:call(" + j + ", erlang, whereis, [greeter]), "
                + "exit(P, kill), timer:sleep(100), rpc:call(" + j + ", erlang, process_info, [P])."))
                .as("a dead process, as Erlang answers").isEqualTo("undefined");
        assertThat(erl.eval("element(1, element(2, rpc:call(" + j + ", erlang, process_info, [self()]))).",
                Duration.ofSeconds(10)))
                .as("another node's pid is badarg, as in Erlang").isEqualTo("'EXIT'");
        java.spawnRegister("greeter", Greeter::new);
    }

    @Test
    void systemInfoMemoryAndStatisticsAnswerInErlangsShapes() {
        assertThat(erl.eval("M = rpc:call(" + j + ", erlang, memory, []), "
                + "{lists:sort(proplists:get_keys(M)) =:= lists:sort(proplists:get_keys(erlang:memory())), "
                + "is_integer(rpc:call(" + j + ", erlang, memory, [total])), "
                + "[K || {K, V} <- M, not is_integer(V)]}."))
                .isEqualTo("{true,true,[]}");
        assertThat(erl.eval("{rpc:call(" + j + ", erlang, system_info, [otp_release]) =:= \"25\", "
                + "is_integer(rpc:call(" + j + ", erlang, system_info, [process_count])), "
                + "is_integer(rpc:call(" + j + ", erlang, system_info, [schedulers])), "
                + "rpc:call(" + j + ", erlang, system_info, [no_such_item])}."))
                .as("an unknown item is badarg, as in Erlang")
                .isEqualTo("{true,true,true,{badrpc,{'EXIT',{badarg,[]}}}}");
        assertThat(erl.eval("{W1, W2} = rpc:call(" + j + ", erlang, statistics, [wall_clock]), "
                + "{R1, R2} = rpc:call(" + j + ", erlang, statistics, [runtime]), "
                + "{is_integer(W1 + W2 + R1 + R2), is_integer(rpc:call(" + j + ", erlang, statistics, [run_queue])), "
                + "rpc:call(" + j + ", net_kernel, get_net_ticktime, []), "
                + "is_list(rpc:call(" + j + ", application, which_applications, []))}."))
                .isEqualTo("{true,true,60,true}");
    }

    /** Reductions are messages handled, a process's and the node's; io is the distribution's bytes in and out. */
    @Test
    void reductionsCountMessagesHandledAndIoCountsTheConnectionsBytes() {
        assertThat(erl.eval("P = rpc:call(" + j + ", erlang, whereis, [greeter]), "
                + "{reductions, R1} = rpc:call(" + j + ", erlang, process_info, [P, reductions]), "
                + "[ok, ok, ok] = [gen_server:call(P, ok) || _ <- [1, 2, 3]], "
                + "{reductions, R2} = rpc:call(" + j + ", erlang, process_info, [P, reductions]), "
                + "{T, _} = rpc:call(" + j + ", erlang, statistics, [reductions]), "
                + "{{input, In}, {output, Out}} = rpc:call(" + j + ", erlang, statistics, [io]), "
                + "{R2 - R1, T >= R2, In > 0, Out > 0}."))
                .isEqualTo("{3,true,true,true}");
    }

    /** observer's System tab asks observer_backend:sys_info/0 first: the same items as Erlang's own. */
    @Test
    void observerBackendSysInfoHasErlangsItems() {
        assertThat(erl.eval("S = rpc:call(" + j + ", observer_backend, sys_info, []), "
                + "{is_list(S), lists:usort(proplists:get_keys(S)) =:= "
                + "lists:usort(proplists:get_keys(observer_backend:sys_info())), "
                + "is_integer(proplists:get_value(uptime, S)), proplists:get_value(otp_release, S)}."))
                .isEqualTo("{true,true,true,[50,53]}");
    }

    @Test
    void nodesFollowErlangsRulesForHiddenNodes() {
        String hiddenName = "'" + hidden.name().name() + "'";
        assertThat(erl.eval("{lists:member(" + hiddenName + ", rpc:call(" + j + ", erlang, nodes, [])), "
                + "lists:member(" + hiddenName + ", rpc:call(" + j + ", erlang, nodes, [hidden])), "
                + "lists:member(" + hiddenName + ", rpc:call(" + j + ", erlang, nodes, [connected])), "
                + "lists:member(node(), rpc:call(" + j + ", erlang, nodes, [])), "
                + "rpc:call(" + j + ", erlang, nodes, [this]), "
                + "rpc:call(" + j + ", erlang, node, [rpc:call(" + j + ", erlang, whereis, [greeter])])}."))
                .isEqualTo("{false,true,true,true,[" + java.name().name() + "]," + java.name().name() + "}");
    }

    /** sys:get_state, get_status, suspend and resume from Erlang on an Ergon GenServer (they timed out). */
    @Test
    void theSysProtocolWorksFromErlang() {
        java.spawnRegister("sys_greeter", Greeter::new);
        String g = "{sys_greeter, " + j + "}";
        assertThat(erl.eval("gen_server:call(" + g + ", a), gen_server:call(" + g + ", b), S = sys:get_state(" + g
                + "), {maps:get(calls, S), maps:get(greeting, S) =:= <<\"hello\">>}.")).isEqualTo("{2,true}");
        assertThat(erl.eval("{status, P, {module, gen_server}, [_PDict, running, _Parent, _Debug, Misc]} = "
                + "sys:get_status(" + g + "), {is_pid(P), lists:keymember(header, 1, Misc)}."))
                .isEqualTo("{true,true}");
        assertThat(erl.eval("ok = sys:suspend(" + g + "), "
                + "R1 = catch gen_server:call(" + g + ", c, 300), "
                + "{status, _, _, [_, suspended | _]} = sys:get_status(" + g + "), "
                + "ok = sys:resume(" + g + "), "
                + "{element(1, element(2, R1)), gen_server:call(" + g + ", d), "
                + "maps:get(calls, sys:get_state(" + g + "))}."))
                .as("suspended: a call times out, and runs (late) once resumed")
                .isEqualTo("{timeout,d,4}");
    }

    /** gen_server:stop from Erlang: sys's {terminate, Reason} is answered ok, then the server exits with Reason. */
    @Test
    void genServerStopFromErlangStopsAnErgonServerWithItsReason() {
        java.spawnRegister("sys_stopped", Greeter::new);
        assertThat(erl.eval("gen_server:stop({sys_stopped, " + j + "}, {shutdown, bye}, 5000).")).as(
                "proc_lib:stop returns ok only when the exit reason is the one asked for").isEqualTo("ok");
        assertThat(java.whereis("sys_stopped")).isNull();
        assertThat(erl.eval("catch gen_server:stop({sys_stopped, " + j + "}).")).isEqualTo("{'EXIT',noproc}");
    }

    /** The Java side of sys: against an Ergon server here and against Erlang's own application_controller. */
    @Test
    void sysFromJavaWorksOnErgonAndErlangServers() {
        java.spawnRegister("sys_java", Greeter::new);
        try (io.ergon.node.Mailbox me = java.mailbox()) {
            java.call("sys_java", "x");
            assertThat(io.ergon.gen.Sys.getState(me, "sys_java"))
                    .isEqualTo(Map.of(io.ergon.term.Atom.of("calls"), 1L,
                            io.ergon.term.Atom.of("greeting"), "hello"));
            io.ergon.gen.Sys.suspend(me, "sys_java");
            assertThat(((io.ergon.term.Tuple) io.ergon.gen.Sys.getStatus(me, "sys_java")).get(0))
                    .isEqualTo(io.ergon.term.Atom.of("status"));
            io.ergon.gen.Sys.resume(me, "sys_java");
            Object erlangState = io.ergon.gen.Sys.getState(me, io.ergon.node.Name.of("application_controller",
                    erl.name()));
            assertThat(erlangState).as("application_controller's #state{} record")
                    .isInstanceOfSatisfying(io.ergon.term.Tuple.class,
                            t -> assertThat(t.get(0)).isEqualTo(io.ergon.term.Atom.of("state")));
        }
    }
}
