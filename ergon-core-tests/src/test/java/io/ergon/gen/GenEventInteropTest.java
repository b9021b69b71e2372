package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import io.ergon.testkit.ErlangNode;
import io.ergon.testkit.TestCluster;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GenEvent across nodes with a real Erlang node: Erlang's {@code gen_event} functions on an Ergon manager, Ergon's
 * client on an Erlang manager, and the same handlers added in the same order answering alike on both
 * ({@code ergon_event_log.erl} and its Java twin {@link EventLog}).
 */
class GenEventInteropTest {
    @RegisterExtension
    static final TestCluster cluster = TestCluster.create();
    private static Node java;
    private static ErlangNode erl;
    private static String j;
    private static final List<String> trace = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        java = cluster.ergon("ergon_events");
        j = "'" + java.name().name() + "'";
        erl = cluster.erlang("erl_events");
        assertThat(erl.eval("net_adm:ping(" + j + ").")).isEqualTo("pong");
        erl.loadResource("ergon_event_log");
    }

    private static Tuple log(long n) {
        return Tuple.of(Atom.of("ergon_event_log"), n);
    }

    @Test
    void erlangsGenEventFunctionsWorkOnAnErgonManager() {
        GenEvent.start(java, "java_events");
        EventManagerClient events = GenEvent.client(java, "java_events");
        events.addHandler(log(1), () -> new EventLog(trace), "one");
        events.addHandler(log(2), () -> new EventLog(trace), "two");
        String m = "{java_events, " + j + "}";
        assertThat(erl.eval("gen_event:which_handlers(" + m + ").")).isEqualTo("[{ergon_event_log,2},{ergon_event_log,1}]");
        assertThat(erl.eval("gen_event:notify(" + m + ", a), gen_event:sync_notify(" + m + ", b).")).isEqualTo("ok");
        assertThat(erl.eval("gen_event:call(" + m + ", {ergon_event_log, 1}, seen).")).isEqualTo("[a,b]");
        assertThat(erl.eval("gen_event:call(" + m + ", nobody, seen).")).isEqualTo("{error,bad_module}");
        assertThat(erl.eval("{terminated, Tag, bye, 2} = gen_event:delete_handler(" + m
                + ", {ergon_event_log, 2}, bye), binary_to_atom(Tag).")).isEqualTo("two");
        assertThat(erl.eval("element(1, gen_event:add_handler(" + m + ", ergon_event_log, x)).")).as(
                "an Erlang module's handler cannot run on the Java node: OTP's undef answer").isEqualTo("'EXIT'");
        assertThat(erl.eval("gen_event:stop(" + m + ").")).isEqualTo("ok");
        assertThat(java.whereis("java_events")).isNull();
        assertThat(trace).contains("one terminated: stop");
    }

    @Test
    void theClientWorksOnAnErlangManagerAndBothAnswerAlike() {
        assertThat(erl.eval("{ok, P} = gen_event:start({local, erl_events}), unlink(P), ok.")).isEqualTo("ok");
        EventManagerClient erlang = GenEvent.client(java, Name.of("erl_events", erl.name()));
        erlang.addErlangHandler(log(1), "one");
        erlang.addErlangHandler(log(2), "two");
        GenEvent.start(java, "twin_events");
        EventManagerClient ergon = GenEvent.client(java, "twin_events");
        ergon.addHandler(log(1), () -> new EventLog(trace), "one");
        ergon.addHandler(log(2), () -> new EventLog(trace), "two");

        for (EventManagerClient events : List.of(erlang, ergon)) {
            events.notify(Atom.of("a"));
            events.syncNotify(Atom.of("b"));
            assertThat(events.call(log(1), Atom.of("seen"))).as(events.toString())
                    .isEqualTo(List.of(Atom.of("a"), Atom.of("b")));
            events.syncNotify(Atom.of("crash"));
            assertThat(events.whichHandlers()).as("both crashed and were taken out, " + events).isEmpty();
        }
        erlang.addErlangHandler(log(3), "three");
        ergon.addHandler(log(3), () -> new EventLog(trace), "three");
        for (EventManagerClient events : List.of(erlang, ergon)) {
            events.syncNotify(Atom.of("c"));
            assertThat(events.whichHandlers()).as(events.toString()).containsExactly(log(3));
            assertThat(events.call(log(3), Atom.of("seen"))).as(events.toString()).isEqualTo(List.of(Atom.of("c")));
            assertThat(events.call(log(9), Atom.of("seen"))).isEqualTo(Tuple.of(Atom.of("error"),
                    Atom.of("bad_module")));
            assertThat(events.deleteHandler(log(9), Atom.of("x"))).isEqualTo(Tuple.of(Atom.of("error"),
                    Atom.of("module_not_found")));
            events.stop();
        }
    }
}
