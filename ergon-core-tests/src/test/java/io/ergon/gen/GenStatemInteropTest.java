package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import io.ergon.testkit.ErlangNode;
import io.ergon.testkit.TestCluster;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GenStatem across nodes, with a real Erlang node: {@code gen_statem:call} and {@code sys:get_state} from Erlang on
 * an Ergon machine (OTP's code lock, {@link GenStatemTest.Door}), and Ergon's {@code call} on the same lock written as
 * an Erlang gen_statem ({@code ergon_door.erl}); a call postponed while the door is open is answered once it locks.
 */
class GenStatemInteropTest {
    @RegisterExtension
    static final TestCluster cluster = TestCluster.create();
    private static Node java;
    private static ErlangNode erl;
    private static String j;

    @BeforeAll
    static void start() throws Exception {
        java = cluster.ergon("ergon_statem");
        j = "'" + java.name().name() + "'";
        erl = cluster.erlang("erl_statem");
        assertThat(erl.eval("net_adm:ping(" + j + ").")).isEqualTo("pong");
        erl.loadResource("ergon_door");
        assertThat(erl.eval("{ok, P} = ergon_door:start(1234), unlink(P), ok.")).isEqualTo("ok");
    }

    @Test
    void erlangCallsAnErgonMachineAndItsPostponedCallIsAnsweredAfterTheStateTimeout() {
        java.spawnRegister("door", GenStatemTest.Door::new);
        String door = "{door, " + j + "}";
        assertThat(erl.eval("gen_statem:call(" + door + ", {button, 1}).")).isEqualTo("locked");
        // in one evaluation: the door stays open only 150 ms, and each evaluation is a round trip of its own
        assertThat(erl.eval("open = gen_statem:call(" + door + ", {button, 1234}), T0 = erlang:monotonic_time("
                + "millisecond), S = sys:get_state(" + door + "), R = gen_statem:call(" + door + ", {button, 1}, "
                + "5000), {S, R, erlang:monotonic_time(millisecond) - T0 >= 100}."))
                .as("open; a press while open is postponed, answered once the state timeout locked the door")
                .isEqualTo("{{open_state,1234},locked,true}");
        assertThat(erl.eval("sys:get_state(" + door + ").")).isEqualTo("{locked_state,1234}");
    }

    @Test
    void sysSuspendGetStatusAndResumeFromErlang() {
        java.spawnRegister("sys_door", GenStatemTest.Door::new);
        String door = "{sys_door, " + j + "}";
        assertThat(erl.eval("ok = sys:suspend(" + door + "), "
                + "R = catch gen_statem:call(" + door + ", {button, 1}, 300), "
                + "{status, _, {module, gen_statem}, [_, suspended, _, _, Misc]} = sys:get_status(" + door + "), "
                + "ok = sys:resume(" + door + "), "
                + "{element(1, element(2, R)), lists:keymember(header, 1, Misc), "
                + "gen_statem:call(" + door + ", {button, 1234})}."))
                .as("suspended: the call times out; resumed, the machine answers")
                .isEqualTo("{timeout,true,open}");
    }

    @Test
    void genStatemStopFromErlangEndsAnErgonMachine() {
        java.spawnRegister("stopped_door", GenStatemTest.Door::new);
        assertThat(erl.eval("gen_statem:stop({stopped_door, " + j + "}, {shutdown, bye}, 5000).")).isEqualTo("ok");
        assertThat(java.whereis("stopped_door")).isNull();
    }

    @Test
    void ergonCallsAnErlangMachineThePostponedCallIncluded() {
        Name door = Name.of("erl_door", erl.name());
        assertThat((Object) java.call(door, Tuple.of(Atom.of("button"), 1))).isEqualTo(Atom.of("locked"));
        assertThat((Object) java.call(door, Tuple.of(Atom.of("button"), 1234))).isEqualTo(Atom.of("open"));
        long start = System.nanoTime();
        assertThat((Object) java.call(door, Tuple.of(Atom.of("button"), 1), Duration.ofSeconds(5)))
                .isEqualTo(Atom.of("locked"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }
}
