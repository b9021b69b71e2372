package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.gen.GenServer;
import io.ergon.node.Actor;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeDown;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import io.ergon.testkit.ErlangNode;
import io.ergon.testkit.TestCluster;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Distribution against a real Erlang/OTP node, each direction. */
@Tag("erlang")
class ErlangDistributionTest {
    @RegisterExtension
    static final TestCluster cluster = TestCluster.create();
    static Node java;
    static ErlangNode erl;
    static String javaName;

    static final String ECHO_SERVER = String.join("\n",
            "-module(echo_server).",
            "-behaviour(gen_server).",
            "-export([start/0, init/1, handle_call/3, handle_cast/2]).",
            "start() -> gen_server:start({local, echo_server}, ?MODULE, [], []).",
            "init([]) -> {ok, 0}.",
            "handle_call(Req, _From, N) -> {reply, Req, N + 1}.",
            "handle_cast(_Msg, N) -> {noreply, N}.");

    /** Helpers compiled on the Erlang node (interpreted funs are too slow for 100k messages). */
    static final String TEST_HELPERS = String.join("\n",
            "-module(ergon_test).",
            "-export([counter/2]).",
            "counter(Name, Max) -> P = spawn(fun() -> R = loop(1, Max), receive {report, From} -> From ! R end end),",
            "    register(Name, P), ok.",
            "loop(N, Max) when N > Max -> {all_in_order, Max};",
            "loop(N, Max) -> receive N -> loop(N + 1, Max); Other when is_integer(Other) -> {out_of_order, N, Other}",
            "    after 20000 -> {stuck_at, N} end.");

    @BeforeAll
    static void start() throws Exception {
        erl = cluster.erlang("erl_dist");
        java = cluster.ergon("ergon_dist");
        javaName = java.name().name();
        erl.load(ECHO_SERVER);
        erl.load(TEST_HELPERS);
        erl.eval("{ok, _} = echo_server:start().");
    }

    static final class Echo extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return request;
        }
    }

    @Test
    void erlangRegistersWithTheEmbeddedEpmdAndPingsBothWays() {
        assertThat(cluster.epmd().registered()).extracting(EpmdClient.NodeEntry::name).contains("ergon_dist", "erl_dist");
        assertThat(erl.eval("net_adm:ping('" + javaName + "').")).isEqualTo("pong");
        assertThat(java.ping(erl.name())).isTrue();
        assertThat(erl.eval("lists:member('" + javaName + "', nodes()).")).isEqualTo("true");
        assertThat(java.nodes()).contains(Atom.of(erl.name()));
    }

    @Test
    void aHiddenNodeIsListedOnlyAmongHiddenNodes() {
        try (Node hidden = Node.start("ergon_hidden@localhost", cluster.baseOptions().hidden(true))) {
            assertThat(hidden.ping(erl.name())).isTrue();
            assertThat(erl.eval("{lists:member('ergon_hidden@localhost', nodes()), "
                    + "lists:member('ergon_hidden@localhost', nodes(hidden))}.")).isEqualTo("{false,true}");
            assertThat(java.ping(erl.name())).isTrue();
            assertThat(erl.eval("lists:member('" + javaName + "', nodes(visible)).")).isEqualTo("true");
        }
    }

    @Test
    void aWrongCookieIsRefusedBothWaysAndTheNodesCarryOn() throws Exception {
        try (Node stranger = Node.start("ergon_stranger@localhost", cluster.baseOptions().cookie("wrong_cookie"))) {
            assertThat(stranger.ping(erl.name())).isFalse();
            assertThat(erl.eval("net_adm:ping('ergon_stranger@localhost').")).isEqualTo("pang");
            assertThat(stranger.nodes()).isEmpty();
            // both still serve the nodes that know the cookie
            assertThat(erl.eval("net_adm:ping('" + javaName + "').")).isEqualTo("pong");
            assertThat(java.ping(erl.name())).isTrue();
        }
    }

    @Test
    void sendByPidAndByNameBothWays() {
        try (Mailbox box = java.mailbox("by_name_box")) {
            // Erlang to a Java name
            erl.eval("{by_name_box, '" + javaName + "'} ! {hello, self()}.");
            Tuple hello = (Tuple) box.receive(Duration.ofSeconds(10));
            assertThat(hello.get(0)).isEqualTo(Atom.of("hello"));
            Pid shell = (Pid) hello.get(1);
            assertThat(shell.node()).isEqualTo(Atom.of(erl.name()));
            // Java to an Erlang pid, and Erlang back to a Java pid
            box.send(shell, Tuple.of(Atom.of("reply_to"), box.pid()));
            assertThat(erl.eval("receive {reply_to, P} -> P ! by_pid, ok after 5000 -> timeout end.")).isEqualTo("ok");
            assertThat(box.receive(Duration.ofSeconds(10))).isEqualTo(Atom.of("by_pid"));
            // Java to an Erlang name
            erl.eval("register(named_shell, self()).");
            box.send(Name.of("named_shell", erl.name()), Atom.of("by_name"));
            assertThat(erl.eval("receive by_name -> got_it after 5000 -> timeout end.")).isEqualTo("got_it");
            erl.eval("unregister(named_shell).");
        }
    }

    @Test
    void oneHundredThousandMessagesArriveInOrderBothWays() {
        int n = 100_000;
        try (Mailbox box = java.mailbox("ordered_box")) {
            erl.eval("[{ordered_box, '" + javaName + "'} ! I || I <- lists:seq(1, " + n + ")], ok.");
            for (long i = 1; i <= n; i++) {
                Object m = box.receive(Duration.ofSeconds(30));
                assertThat(m).isEqualTo(i);
            }
        }
        erl.eval("ergon_test:counter(counter, " + n + ").");
        java.spawn(() -> new Actor() {
            @Override
            protected void init() {
                Name counter = Name.of("counter", erl.name());
                for (long i = 1; i <= n; i++) {
                    send(counter, i);
                }
            }
        });
        assertThat(erl.eval("counter ! {report, self()}, receive R -> R after 60000 -> timeout end.",
                Duration.ofSeconds(90))).isEqualTo("{all_in_order," + n + "}");
    }

    @Test
    void aFiveMegabyteMessageAndASmallOneBothArriveBothWays() {
        int size = 5_000_000;
        try (Mailbox box = java.mailbox("big_box")) {
            erl.eval("{big_box, '" + javaName + "'} ! {big, binary:copy(<<7>>, " + size + ")}, "
                    + "{big_box, '" + javaName + "'} ! small.");
            Tuple big = (Tuple) box.receive(Duration.ofSeconds(30));
            Binary bytes = (Binary) big.get(1);
            assertThat(bytes.size()).isEqualTo(size);
            assertThat(bytes.byteAt(size - 1)).isEqualTo(7);
            assertThat(box.receive(Duration.ofSeconds(10))).isEqualTo(Atom.of("small"));
        }
        erl.eval("register(big_sink, self()).");
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 9);
        try (Mailbox box = java.mailbox()) {
            box.send(Name.of("big_sink", erl.name()), Tuple.of(Atom.of("big"), payload));
            box.send(Name.of("big_sink", erl.name()), Atom.of("small"));
        }
        assertThat(erl.eval("receive {big, B} -> {byte_size(B), binary:last(B)} after 30000 -> timeout end.",
                Duration.ofSeconds(40))).isEqualTo("{" + size + ",9}");
        assertThat(erl.eval("receive small -> small after 10000 -> timeout end.")).isEqualTo("small");
        erl.eval("unregister(big_sink).");
    }

    @Test
    void twentyThousandGenServerCallsFromErlangIntoErgon() {
        java.spawnRegister("echo", Echo::new);
        try {
            String ok = erl.eval("lists:foldl(fun(I, Acc) -> case gen_server:call({echo, '" + javaName
                    + "'}, {n, I}) of {n, I} -> Acc + 1; _ -> Acc end end, 0, lists:seq(1, 20000)).",
                    Duration.ofSeconds(120));
            assertThat(ok).isEqualTo("20000");
        } finally {
            java.send("echo", Atom.of("stop"));
        }
    }

    @Test
    void twentyThousandCallsFromErgonIntoAnErlangGenServer() {
        AtomicInteger ok = new AtomicInteger();
        try (Mailbox box = java.mailbox()) {
            Name server = Name.of("echo_server", erl.name());
            for (long i = 0; i < 20_000; i++) {
                Object reply = box.call(server, Tuple.of(Atom.of("n"), i), Duration.ofSeconds(10));
                if (reply.equals(Tuple.of(Atom.of("n"), i))) {
                    ok.incrementAndGet();
                }
            }
        }
        assertThat(ok.get()).isEqualTo(20_000);
    }

    @Test
    void ticksKeepAnIdleConnectionAliveAndASilentPeerIsDeclaredDown() throws Exception {
        Duration tick = Duration.ofSeconds(2);
        try (Node quick = Node.start("ergon_ticks@localhost", cluster.baseOptions().netTickTime(tick));
             ErlangNode peer = ErlangNode.start("erl_ticks", cluster.cookie(), cluster.epmdPort(), "-kernel", "net_ticktime", "2");
             Mailbox watcher = quick.mailbox()) {
            assertThat(quick.ping(peer.name())).isTrue();
            quick.watchNodes(watcher.pid(), true);
            // idle for more than twice net_ticktime: ticks keep it up on both sides
            assertThat(watcher.receive(Duration.ofMillis(2 * tick.toMillis() + 1_500))).isNull();
            assertThat(quick.nodes()).contains(Atom.of(peer.name()));
            assertThat(peer.eval("lists:member('ergon_ticks@localhost', nodes()).")).isEqualTo("true");
            // a peer that stops ticking is declared down within about net_ticktime
            long t0 = System.nanoTime();
            peer.suspend();
            try {
                Object down = watcher.receive(m -> m instanceof NodeDown, Duration.ofSeconds(10));
                assertThat(down).isEqualTo(new NodeDown(Atom.of(peer.name()), Atom.of("net_tick_timeout")));
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(tick.multipliedBy(3));
            } finally {
                peer.resume();
            }
        }
    }
}
