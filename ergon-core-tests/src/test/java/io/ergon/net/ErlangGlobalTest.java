package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import io.ergon.testkit.ErlangNode;
import io.ergon.testing.TestProc;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Erlang's {@code global} with an Ergon node as a full peer (issue 14): two OTP nodes, g1 and g2, connected to each
 * other, and one visible Ergon node j that connects to g1 only. Before, {@code global:sync()} on g1 hung for as
 * long as j was connected, g2 never connected to j, names and locks left j out.
 */
@Tag("erlang")
class ErlangGlobalTest {
    static final String COOKIE = "ergon_global";
    static final Duration WAIT = Duration.ofSeconds(10);
    static EpmdServer epmd;
    static ErlangNode g1;
    static ErlangNode g2;
    static Node java;
    static String j;
    static Global global;
    /** {@code global:sync()} on g1 right after j connected to it, in microseconds. */
    static long firstSyncG1;

    @BeforeAll
    static void start() throws Exception {
        ErlangNode.assumeAvailable();
        epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
        g1 = ErlangNode.start("glob_g1", COOKIE, epmd.port());
        g2 = ErlangNode.start("glob_g2", COOKIE, epmd.port());
        for (ErlangNode g : List.of(g1, g2)) {
            g.loadResource("ergon_global");
        }
        assertThat(g1.eval("net_adm:ping('" + g2.name() + "').")).isEqualTo("pong");
        assertThat(g1.eval("global:sync().")).isEqualTo("ok");
        assertThat(g2.eval("global:sync().")).isEqualTo("ok");
        java = Node.start("glob_j@localhost", options());
        j = "'" + java.name().name() + "'";
        global = Global.of(java);
        assertThat(java.connect(g1.name())).isTrue();
        // at once: the exchange with j is under way, and sync must wait for it, not for ever as it did
        firstSyncG1 = micros(g1.eval("element(1, timer:tc(global, sync, [])).", Duration.ofSeconds(30)));
    }

    static NodeOptions options() {
        return NodeOptions.defaults().distributed(true).cookie(COOKIE).epmdPort(epmd.port())
                .listenAddress(InetAddress.getLoopbackAddress());
    }

    static long micros(String erlangInteger) {
        return Long.parseLong(erlangInteger);
    }

    @AfterAll
    static void stop() {
        if (java != null) {
            java.close();
        }
        for (ErlangNode g : new ErlangNode[] {g2, g1}) {
            if (g != null) {
                g.close();
            }
        }
        if (epmd != null) {
            epmd.close();
        }
    }

    static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }

    /** The time {@code global:sync()} takes on {@code g} now, in microseconds. */
    static long syncMicros(ErlangNode g) {
        return micros(g.eval("element(1, timer:tc(global, sync, [])).", Duration.ofSeconds(30)));
    }

    @Test
    void syncReturnsWithinASecondOnEveryErlangNode() {
        assertThat(firstSyncG1).as("global:sync() on g1 right after j connected, µs").isLessThan(1_000_000);
        await("g2 connected to j", () -> g2.eval("lists:member(" + j + ", nodes()).").equals("true"));
        long g2Sync = syncMicros(g2);
        long g1Sync = syncMicros(g1);
        LoggerFactory.getLogger(ErlangGlobalTest.class).info("global:sync(): g1 {} µs right after j connected, "
                + "then g2 {} µs, g1 {} µs", firstSyncG1, g2Sync, g1Sync);
        assertThat(g2Sync).as("on g2, once connected to j").isLessThan(1_000_000);
        assertThat(g1Sync).as("again on g1").isLessThan(1_000_000);
        for (ErlangNode g : List.of(g1, g2)) {
            assertThat(g.eval("lists:member(" + j + ", gen_server:call(global_name_server, get_synced)).")).as(
                    g.name() + " in sync with j").isEqualTo("true");
        }
        assertThat(global.sync(Duration.ofSeconds(1))).as("Global.sync on j").isTrue();
    }

    @Test
    void theOtherErlangNodeMeshesWithErgonByItself() {
        await("g2 connected to j, though only g1 was told", () ->
                g2.eval("lists:member(" + j + ", nodes()).").equals("true"));
        await("j sees g2", () -> java.nodes().contains(Atom.of(g2.name())));
        assertThat(g2.eval("lists:sort(nodes()).")).isEqualTo("[" + g1.name() + "," + java.name().name() + "]");
    }

    /** The pid of the process registered locally as {@code local} on {@code g}, as Ergon sees it. */
    static Pid erlangPid(ErlangNode g, String local) {
        Object p = Rpc.of(java).call(g.name(), "erlang", "whereis", List.of(Atom.of(local)), WAIT);
        assertThat(p).as(local + " on " + g.name()).isInstanceOf(Pid.class);
        return (Pid) p;
    }

    @Test
    void aNameRegisteredOnErlangResolvesOnErgonAndViceVersa() {
        // Erlang → Ergon
        assertThat(g2.eval("P = ergon_global:park(names_e1), global:register_name(glob_e1, P).")).isEqualTo("yes");
        Pid e1 = erlangPid(g2, "names_e1");
        assertThat(global.whereis("glob_e1")).as("registration is synchronous on every node").isEqualTo(e1);
        assertThat(global.registeredNames()).contains(Atom.of("glob_e1"));
        assertThat(global.send("glob_e1", Tuple.of(Atom.of("hello"), 1L))).isEqualTo(e1);
        await("the message reached the Erlang process",
                () -> g2.eval("ergon_global:got(whereis(names_e1)).").equals("[{hello,1}]"));
        assertThat(global.register("glob_e1", java.mailbox().pid())).as("taken").isFalse();

        // Ergon → Erlang
        try (Mailbox m = java.mailbox()) {
            assertThat(global.register("glob_j1", m.pid())).isTrue();
            for (ErlangNode g : List.of(g1, g2)) {
                assertThat(g.eval("node(global:whereis_name(glob_j1)).")).isEqualTo(java.name().name());
                assertThat(g.eval("lists:member(glob_j1, global:registered_names()).")).isEqualTo("true");
                assertThat(g.eval("global:register_name(glob_j1, self()).")).as("taken, on " + g.name())
                        .isEqualTo("no");
                g.eval("global:send(glob_j1, {from, node()}).");
                assertThat(m.receive(WAIT)).isEqualTo(Tuple.of(Atom.of("from"), Atom.of(g.name())));
            }
            assertThat(global.register("glob_j1_again", m.pid())).as("a process has one global name").isFalse();

            global.unregister("glob_j1");
            assertThat(global.whereis("glob_j1")).isNull();
            for (ErlangNode g : List.of(g1, g2)) {
                assertThat(g.eval("global:whereis_name(glob_j1).")).isEqualTo("undefined");
            }
            global.reRegister("glob_e1", m.pid());
            assertThat(g2.eval("global:whereis_name(glob_e1) =:= whereis(names_e1).")).isEqualTo("false");
            assertThat(g1.eval("node(global:whereis_name(glob_e1)).")).isEqualTo(java.name().name());
            // a tuple name, as Erlang code often uses
            assertThat(g1.eval("P = ergon_global:park(names_e2), global:register_name({glob, 2}, P)."))
                    .isEqualTo("yes");
            assertThat(global.whereis(Tuple.of(Atom.of("glob"), 2L))).isEqualTo(erlangPid(g1, "names_e2"));
            g1.eval("global:unregister_name({glob, 2}).");
            assertThat(global.whereis(Tuple.of(Atom.of("glob"), 2))).isNull();
        }
    }

    @Test
    void namesGoWhenTheirProcessExits() {
        Mailbox m = java.mailbox();
        assertThat(global.register("glob_exit_j", m.pid())).isTrue();
        assertThat(g2.eval("node(global:whereis_name(glob_exit_j)).")).isEqualTo(java.name().name());
        m.close();
        await("the Ergon process's name gone on g1 and g2", () ->
                g1.eval("global:whereis_name(glob_exit_j).").equals("undefined")
                        && g2.eval("global:whereis_name(glob_exit_j).").equals("undefined"));
        assertThat(global.whereis("glob_exit_j")).isNull();

        assertThat(g2.eval("P = ergon_global:park(exit_e), global:register_name(glob_exit_e, P).")).isEqualTo("yes");
        assertThat(global.whereis("glob_exit_e")).isNotNull();
        g2.eval("exit(whereis(exit_e), kill).");
        await("the Erlang process's name gone on j", () -> global.whereis("glob_exit_e") == null
                && !global.registeredNames().contains(Atom.of("glob_exit_e")));
    }

    @Test
    void namesAndLocksGoWhenTheirNodeGoesDown() throws Exception {
        // an Erlang node killed with kill -9
        ErlangNode g3 = ErlangNode.start("glob_g3d", COOKIE, epmd.port());
        try {
            g3.loadResource("ergon_global");
            assertThat(g3.eval("net_adm:ping('" + g1.name() + "'), global:sync().")).isEqualTo("ok");
            await("g3 meshed with j", () -> java.nodes().contains(Atom.of(g3.name())));
            assertThat(g3.eval("P = ergon_global:park(down_e), global:register_name(glob_down_e, P)."))
                    .isEqualTo("yes");
            assertThat(global.whereis("glob_down_e")).isNotNull();
            g3.kill();
            await("the killed node's name gone on j", () -> global.whereis("glob_down_e") == null);
            await("and on g1", () -> g1.eval("global:whereis_name(glob_down_e).").equals("undefined"));
        } finally {
            g3.close();
        }
        // restarted under the same name: it meshes again, and nothing of its old life comes back
        ErlangNode g3again = ErlangNode.start("glob_g3d", COOKIE, epmd.port());
        try {
            assertThat(g3again.eval("net_adm:ping('" + g1.name() + "'), global:sync().")).isEqualTo("ok");
            await("the restarted g3 meshed with j", () -> java.nodes().contains(Atom.of(g3again.name())));
            assertThat(g3again.eval("global:whereis_name(glob_down_e).")).isEqualTo("undefined");
            assertThat(global.whereis("glob_down_e")).isNull();
            assertThat(g3again.eval("lists:member(" + j + ", nodes()).")).isEqualTo("true");
        } finally {
            g3again.close();
        }
        // an Ergon node closed
        Node j2 = Node.start("glob_j2@localhost", options());
        try (Mailbox m = j2.mailbox()) {
            assertThat(j2.connect(g1.name())).isTrue();
            assertThat(Global.of(j2).sync(WAIT)).isTrue();
            assertThat(Global.of(j2).register("glob_down_j2", m.pid())).isTrue();
            assertThat(global.whereis("glob_down_j2")).isEqualTo(m.pid());
            assertThat(g2.eval("node(global:whereis_name(glob_down_j2)).")).isEqualTo("glob_j2@localhost");
            assertThat(Global.of(j2).setLock(m, Global.LockId.of("glob_down_lock", m.pid()))).isTrue();
            assertThat(g1.eval("global:set_lock({glob_down_lock, self()}, [node()], 0).")).as("held by j2")
                    .isEqualTo("false");
        } finally {
            j2.close();
        }
        await("the closed node's name gone everywhere", () -> global.whereis("glob_down_j2") == null
                && g1.eval("global:whereis_name(glob_down_j2).").equals("undefined")
                && g2.eval("global:whereis_name(glob_down_j2).").equals("undefined"));
        await("its lock released on g1", () -> g1.eval("global:set_lock({glob_down_lock, self()}, [node(), "
                + j + "], 0).").equals("true"));
        g1.eval("global:del_lock({glob_down_lock, self()}, [node(), " + j + "]).");
    }

    /**
     * Clashes over a name, resolved as OTP resolves them: j registered the name and so did g3, a lone Erlang node;
     * g3 then joins through g1. The smaller node of the pair that connects, g1, resolves, by calling the method of
     * its own entry, which is j's, on the node of j's process: Erlang asks Ergon {@code global:resolve_it/4} over rpc.
     */
    @Test
    void aNameClashIsResolvedAsOtpResolvesIt() throws Exception {
        // OTP's default: the process of the greater node (j > g3) is killed, g3's keeps the name
        try (Clash c = new Clash("glob_g3a", "clash_a", Global.Resolve.RANDOM_EXIT)) {
            Pid winner = c.erlangPid();
            await("j's process killed by Ergon's resolve_it", () -> !java.isAlive(c.proc));
            c.assertNameEverywhere(winner, c.g3.name());
            assertThat(c.g3.eval("is_process_alive(whereis(clash)).")).isEqualTo("true");
        }
        // notify: j's process is told, g3's keeps the name, both live
        try (Clash c = new Clash("glob_g3b", "clash_b", Global.Resolve.RANDOM_NOTIFY)) {
            Pid winner = c.erlangPid();
            assertThat(c.reports.receive(WAIT)).isEqualTo(Tuple.of(Atom.of("got"), c.proc,
                    Tuple.of(Atom.of("global_name_conflict"), Atom.of("clash_b"))));
            c.assertNameEverywhere(winner, c.g3.name());
            assertThat(java.isAlive(c.proc)).isTrue();
        }
        // a method of our own, a Java function: keeps j's process, on every node, g3's too
        List<List<Object>> calls = new CopyOnWriteArrayList<>();
        Rpc.of(java).register("ergon_glob_test", "keep_second", 3, args -> {
            calls.add(args);
            return args.get(2);
        });
        try (Clash c = new Clash("glob_g3c", "clash_c", Global.Resolve.of("ergon_glob_test", "keep_second"))) {
            Pid loser = c.erlangPid();
            c.assertNameEverywhere(c.proc, java.name().name());
            assertThat(calls).containsExactly(List.of(Atom.of("clash_c"), loser, c.proc));
            assertThat(c.g3.eval("is_process_alive(whereis(clash)).")).as("not killed").isEqualTo("true");
            assertThat(java.isAlive(c.proc)).isTrue();
        }
        // j's process registered by Erlang code: OTP's default method then travels as a local fun of global's, which
        // Ergon's resolve_it takes for random_exit_name, as OTP would run it
        try (Clash c = new Clash("glob_g3e", "clash_e", null)) {
            Pid winner = c.erlangPid();
            await("j's process killed by Ergon's resolve_it", () -> !java.isAlive(c.proc));
            c.assertNameEverywhere(winner, c.g3.name());
        }
    }

    /** A name registered on j and on a lone Erlang node g3, which then joins the cluster through g1. */
    final class Clash implements AutoCloseable {
        final String name;
        /** What j's process got, as {@code {got, Proc, Message}}. */
        final Mailbox reports;
        final Pid proc;
        final ErlangNode g3;

        /** @param method j's resolve method, or null to have g1 register j's process with OTP's default */
        Clash(String g3Name, String name, Global.Resolve method) throws Exception {
            this.name = name;
            this.reports = java.mailbox();
            this.proc = java.spawn(() -> new TestProc(false, reports.pid()));
            assertThat(reports.receive(WAIT)).isEqualTo(Tuple.of(Atom.of("ready"), proc));
            if (method != null) {
                assertThat(global.register(name, proc, method)).isTrue();
            } else {
                java.register(name + "_proc", proc);
                assertThat(g1.eval("global:register_name(" + name + ", rpc:call(" + j + ", erlang, whereis, ["
                        + name + "_proc])).")).isEqualTo("yes");
                assertThat(global.whereis(name)).isEqualTo(proc);
            }
            g3 = ErlangNode.start(g3Name, COOKIE, epmd.port());
            g3.loadResource("ergon_global");
            assertThat(g3.eval("global:register_name(" + name + ", ergon_global:park(clash)).")).isEqualTo("yes");
            assertThat(g3.eval("net_adm:ping('" + g1.name() + "').")).isEqualTo("pong");
            assertThat(g3.eval("global:sync().", WAIT)).isEqualTo("ok");
            assertThat(g1.eval("global:sync().", WAIT)).isEqualTo("ok");
            await(g3Name + " meshed with j", () -> java.nodes().contains(Atom.of(g3.name())));
            assertThat(global.sync(WAIT)).isTrue();
        }

        Pid erlangPid() {
            return ErlangGlobalTest.erlangPid(g3, "clash");
        }

        void assertNameEverywhere(Pid pid, String nodeOfPid) {
            await(name + " is " + pid + " on j", () -> pid.equals(global.whereis(name)));
            for (ErlangNode g : List.of(g1, g2, g3)) {
                assertThat(g.eval("node(global:whereis_name(" + name + ")).")).as(name + " on " + g.name())
                        .isEqualTo(nodeOfPid);
            }
            if (nodeOfPid.equals(g3.name())) {
                assertThat(g3.eval("global:whereis_name(" + name + ") =:= whereis(clash).")).isEqualTo("true");
            }
        }

        @Override
        public void close() {
            java.exit(proc, Atom.of("kill"));
            reports.close();
            g3.close();
            await(g3.name() + " gone", () -> !java.nodes().contains(Atom.of(g3.name())));
        }
    }

    /**
    * {@code global:trans} with contenders on both sides: on g1 (locking every node), on g2 (locking only j, so
     * that only Ergon's lock table keeps it out) and two on j (Global.trans, every node), 1,000 rounds in all around
     * a counter on g1 that notices when two are inside at once.
     */
    @Test
    void transExcludesErgonsContendersToo() throws Exception {
        g1.eval("ergon_global:start_counter().");
        Pid counter = erlangPid(g1, "ergon_counter");
        int rounds = 250;
        g1.eval("ergon_global:contend(whereis(ergon_counter), " + rounds + ", default, ergon_global:park(done_g1)).");
        g2.eval("C = rpc:call('" + g1.name() + "', erlang, whereis, [ergon_counter]), "
                + "ergon_global:contend(C, " + rounds + ", [" + j + "], ergon_global:park(done_g2)).");
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<Integer>> javas = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                javas.add(threads.submit(() -> {
                    try (Mailbox m = java.mailbox()) {
                        for (int r = 0; r < rounds; r++) {
                            global.trans(m, Global.LockId.of("ergon_counter", m.pid()), () -> critical(m, counter));
                        }
                    }
                    return rounds;
                }));
            }
            for (Future<Integer> f : javas) {
                assertThat(f.get(3, TimeUnit.MINUTES)).isEqualTo(rounds);
            }
            Awaitility.await("the Erlang contenders done").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200)).until(() ->
                            g1.eval("ergon_global:got(whereis(done_g1)).").matches("\\[\\{contender_done,.*,0}]")
                            && g2.eval("ergon_global:got(whereis(done_g2)).").matches("\\[\\{contender_done,.*,0}]"));
        } finally {
            threads.shutdownNow();
        }
        assertThat(g1.eval("ergon_global:counter_stats(whereis(ergon_counter)).")).as("{value, most inside, entries}")
                .isEqualTo("{1000,1,1000}");
    }

    /** The critical section: read the counter, write it back plus one, in three calls. */
    static Object critical(Mailbox m, Pid counter) {
        m.send(counter, Tuple.of(Atom.of("enter"), m.pid()));
        long v = (Long) ((Tuple) m.receive(x -> isFrom(x, counter), WAIT)).get(1);
        m.send(counter, Tuple.of(Atom.of("set"), m.pid(), v + 1));
        m.receive(x -> isFrom(x, counter), WAIT);
        m.send(counter, Tuple.of(Atom.of("leave"), m.pid()));
        m.receive(x -> isFrom(x, counter), WAIT);
        return null;
    }

    static boolean isFrom(Object x, Pid counter) {
        return x instanceof Tuple t && t.size() == 2 && counter.equals(t.get(0));
    }

    /** A lock taken on Ergon holds against Erlang's requesters, on Erlang's nodes and on Ergon's own, and back. */
    @Test
    void locksHoldBetweenErlangAndErgon() {
        try (Mailbox m = java.mailbox(); Mailbox other = java.mailbox()) {
            Global.LockId mine = Global.LockId.of("glob_res", m.pid());
            assertThat(global.setLock(m, mine)).isTrue();
            for (String on : List.of("node()", j)) {
                for (ErlangNode g : List.of(g1, g2)) {
                    assertThat(g.eval("global:set_lock({glob_res, self()}, [" + on + "], 0)."))
                            .as(on + " from " + g.name()).isEqualTo("false");
                }
            }
            assertThat(global.setLock(other, Global.LockId.of("glob_res", other.pid()), List.of(g1.name()), 0))
                    .as("another requester on Ergon").isFalse();
            assertThat(global.setLock(other, Global.LockId.of("glob_res", m.pid()), List.of(g1.name(), j(), g2.name()),
                    0)).as("the same requester id shares the lock").isTrue();
            global.delLock(other, Global.LockId.of("glob_res", m.pid()));
            global.delLock(m, mine);
            assertThat(g1.eval("global:set_lock({glob_res, self()}, [node(), " + j + "], 0).")).isEqualTo("true");
            assertThat(global.setLock(m, mine, List.of(j()), 0)).as("held by g1's requester on j").isFalse();
            assertThat(global.setLock(m, mine, List.of(g1.name()), 0)).as("and on g1").isFalse();
            g1.eval("global:del_lock({glob_res, self()}, [node(), " + j + "]).");
            assertThat(global.setLock(m, mine, List.of(j(), g1.name()), 0)).isTrue();
            global.delLock(m, mine, List.of(j(), g1.name()));

            // a holder that exits releases its locks
            assertThat(g2.eval("ergon_global:hold_lock(lock_holder, glob_res2, [" + j + "]).")).isEqualTo("true");
            assertThat(global.setLock(m, Global.LockId.of("glob_res2", m.pid()), List.of(j()), 0)).isFalse();
            g2.eval("exit(whereis(lock_holder), kill).");
            await("the lock released with its holder",
                    () -> global.setLock(m, Global.LockId.of("glob_res2", m.pid()), List.of(j()), 0));
        }
    }

    static String j() {
        return java.name().name();
    }

    /**
     * An Ergon node that leaves (closed) leaves no trace: its names go, the others stay connected to each other (no
     * "overlapping partitions" cut), and {@code global:sync()} stays prompt.
     */
    @Test
    void anErgonNodeLeavesTheClusterCleanly() {
        Node j3 = Node.start("glob_j3@localhost", options());
        try {
            assertThat(j3.connect(g2.name())).isTrue();
            assertThat(Global.of(j3).sync(WAIT)).isTrue();
            assertThat(Global.of(j3).register("glob_leaving", j3.mailbox().pid())).isTrue();
            await("g1 and j meshed with j3", () -> java.nodes().contains(j3.name())
                    && g1.eval("lists:member('glob_j3@localhost', nodes()).").equals("true"));
            assertThat(g1.eval("node(global:whereis_name(glob_leaving)).")).isEqualTo("glob_j3@localhost");
        } finally {
            j3.close();
        }
        for (ErlangNode g : List.of(g1, g2)) {
            await("j3 gone from " + g.name(), () -> g.eval("lists:member('glob_j3@localhost', nodes()).")
                    .equals("false") && g.eval("global:whereis_name(glob_leaving).").equals("undefined"));
        }
        assertThat(g1.eval("lists:sort(nodes()).")).isEqualTo("[" + g2.name() + "," + j() + "]");
        assertThat(g2.eval("lists:sort(nodes()).")).isEqualTo("[" + g1.name() + "," + j() + "]");
        assertThat(syncMicros(g1)).isLessThan(1_000_000);
        assertThat(syncMicros(g2)).isLessThan(1_000_000);
        // each may have dropped j3 itself, as OTP's own nodes do when one halts: nobody else
        Pattern dropped = Pattern.compile("node (\\S+) in order to prevent overlapping");
        for (ErlangNode g : List.of(g1, g2)) {
            for (String line : g.output()) {
                Matcher m = dropped.matcher(line);
                if (m.find()) {
                    assertThat(m.group(1)).as(g.name() + " logged: " + line).isNotIn(g1.name(), g2.name(), j());
                }
            }
        }
    }
}
