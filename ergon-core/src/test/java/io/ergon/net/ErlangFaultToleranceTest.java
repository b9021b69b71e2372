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
import io.ergon.node.NodeOptions;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnException;
import io.ergon.node.SpawnOptions;
import io.ergon.node.Spawned;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import io.ergon.testing.ErlangNode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Links, monitors, exits, remote spawn and rpc between Ergon and a real Erlang/OTP node, each direction. */
@Tag("erlang")
class ErlangFaultToleranceTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Atom BOOM = Atom.of("boom");
    static final Atom CMD = Atom.of("cmd");
    static final Atom GOT = Atom.of("got");
    static EpmdServer epmd;
    static Node java;
    static ErlangNode erl;
    static String report;
    Mailbox box;

    @BeforeAll
    static void start() throws Exception {
        ErlangNode.assumeAvailable();
        epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
        java = Node.start("ergon_ft@localhost", NodeOptions.defaults().distributed(true).cookie("ft")
                .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()));
        erl = ErlangNode.start("erl_ft", "ft", epmd.port());
        erl.loadResource("ergon_ft");
        report = "{ft_report, 'ergon_ft@localhost'}";
        java.rpc().register("ft", "add", 2, args -> (Long) args.get(0) + (Long) args.get(1))
                .register("ft", "fail", args -> {
                    throw new IllegalStateException("failed on purpose");
                })
                .register("ft", "throw", args -> {
                    throw new Rpc.Throw(Atom.of("thrown"));
                })
                .allowSpawn("ft", "worker", args -> new JProc(false, null));
    }

    @AfterAll
    static void stop() {
        if (erl != null) {
            erl.close();
        }
        if (java != null) {
            java.close();
        }
        if (epmd != null) {
            epmd.close();
        }
    }

    @BeforeEach
    void report() {
        box = java.mailbox("ft_report");
    }

    @AfterEach
    void closeReport() {
        box.close();
    }

    /** The Java twin of ergon_ft's loop: obeys {cmd, ...} and reports everything else to ft_report. */
    static final class JProc extends Actor {
        private final boolean trap;
        private final Pid linkTo;

        JProc(boolean trap, Pid linkTo) {
            this.trap = trap;
            this.linkTo = linkTo;
        }

        @Override
        protected void init() {
            trapExit(trap);
            if (linkTo != null) {
                link(linkTo);
            }
        }

        @Override
        protected void handleMessage(Object message) {
            Name report = Name.of("ft_report", node().name().name());
            if (message instanceof Tuple t && t.size() >= 2 && t.get(0) == CMD) {
                String op = ((Atom) t.get(1)).name();
                Object result = Atom.TRUE;
                switch (op) {
                    case "link" -> link((Pid) t.get(2));
                    case "unlink" -> unlink((Pid) t.get(2));
                    case "monitor" -> result = monitor(t.get(2));
                    case "demonitor" -> demonitor((Ref) t.get(2));
                    case "exit" -> exit((Pid) t.get(2), t.get(3));
                    case "stop" -> throw new ExitException(t.get(2));
                    case "crash" -> throw new IllegalStateException("crashed on purpose");
                    default -> result = Atom.of("unknown");
                }
                send(report, Tuple.of(Atom.of("done"), t.get(1), result));
            } else {
                send(report, Tuple.of(GOT, self(), message instanceof io.ergon.term.TermConvertible c
                        ? c.toTerm() : message));
            }
        }
    }

    Pid erlProc(boolean trap) {
        erl.eval("ergon_ft:start(" + trap + ", undefined, " + report + ").");
        Tuple ready = (Tuple) expect(m -> m instanceof Tuple t && t.get(0).equals(Atom.of("ready")));
        return (Pid) ready.get(1);
    }

    Pid javaProc(boolean trap) {
        return java.spawn(() -> new JProc(trap, null));
    }

    Object cmd(Pid target, Object... parts) {
        Object[] all = new Object[parts.length + 1];
        all[0] = CMD;
        System.arraycopy(parts, 0, all, 1, parts.length);
        box.send(target, Tuple.of(all));
        Tuple done = (Tuple) expect(m -> m instanceof Tuple t && t.get(0).equals(Atom.of("done")));
        return done.get(2);
    }

    /** Sends {@code {cmd, ...}} without waiting for an answer (for stop and crash, which have none). */
    void tell(Pid target, Object... parts) {
        Object[] all = new Object[parts.length + 1];
        all[0] = CMD;
        System.arraycopy(parts, 0, all, 1, parts.length);
        box.send(target, Tuple.of(all));
    }

    Object expect(Predicate<Object> match) {
        Object m = box.receive(match, WAIT);
        assertThat(m).as("an expected message").isNotNull();
        return m;
    }

    Object got(Pid from) {
        Tuple t = (Tuple) expect(m -> m instanceof Tuple x && x.size() == 3 && x.get(0) == GOT && x.get(1).equals(from));
        return t.get(2);
    }

    Object downOf(Pid p) {
        return ((Down) expect(m -> m instanceof Down d && d.item().equals(p))).reason();
    }

    // ------------------------------------------------------------------ links and exits

    @Test
    void anErlangCrashKillsALinkedJavaProcessAndTheReverse() {
        Pid e = erlProc(false);
        Pid j = javaProc(false);
        cmd(j, Atom.of("link"), e);
        box.monitor(j);
        tell(e, Atom.of("crash"));
        Object reason = downOf(j);
        assertThat(reason).isInstanceOfSatisfying(Tuple.class,
                t -> assertThat(t.get(0)).isEqualTo(Atom.of("crashed_on_purpose")));

        Pid e2 = erlProc(false);
        Pid j2 = javaProc(false);
        cmd(e2, Atom.of("link"), j2);
        box.monitor(e2);
        box.send(j2, Tuple.of(CMD, Atom.of("crash")));
        Object reason2 = downOf(e2);
        assertThat(reason2).isEqualTo(Tuple.of(Atom.of("java_exception"),
                Atom.of("java.lang.IllegalStateException"), io.ergon.term.Binary.of("crashed on purpose")));
    }

    @Test
    void trappingProcessesGetExitMessagesBothWays() {
        Pid e = erlProc(false);
        Pid j = javaProc(true);
        cmd(j, Atom.of("link"), e);
        tell(e, Atom.of("stop"), BOOM);
        assertThat(got(j)).isEqualTo(Tuple.of(Atom.of("EXIT"), e, BOOM));

        Pid e2 = erlProc(true);
        Pid j2 = javaProc(false);
        cmd(e2, Atom.of("link"), j2);
        box.send(j2, Tuple.of(CMD, Atom.of("stop"), BOOM));
        assertThat(got(e2)).isEqualTo(Tuple.of(Atom.of("EXIT"), j2, BOOM));
    }

    @Test
    void normalExitsDoNotKillLinkedProcesses() {
        Pid e = erlProc(false);
        Pid j = javaProc(false);
        cmd(j, Atom.of("link"), e);
        tell(e, Atom.of("stop"), Reasons.NORMAL);
        box.send(j, Atom.of("still_alive"));
        assertThat(got(j)).isEqualTo(Atom.of("still_alive"));

        Pid e2 = erlProc(false);
        Pid j2 = javaProc(false);
        cmd(e2, Atom.of("link"), j2);
        box.send(j2, Tuple.of(CMD, Atom.of("stop"), Reasons.NORMAL));
        box.send(e2, Atom.of("still_alive"));
        assertThat(got(e2)).isEqualTo(Atom.of("still_alive"));
    }

    @Test
    void killIsUntrappableAcrossNodesBothWays() {
        Pid e = erlProc(true);
        box.monitor(e);
        box.exit(e, Reasons.KILL);
        assertThat(downOf(e)).isEqualTo(Reasons.KILLED);

        Pid j = javaProc(true);
        Pid e2 = erlProc(false);
        box.monitor(j);
        cmd(e2, Atom.of("exit"), j, Reasons.KILL);
        assertThat(downOf(j)).isEqualTo(Reasons.KILLED);
    }

    @Test
    void afterUnlinkACrashDeliversNothing() {
        Pid e = erlProc(false);
        Pid j = javaProc(true);
        cmd(j, Atom.of("link"), e);
        cmd(j, Atom.of("unlink"), e);
        box.monitor(e);
        tell(e, Atom.of("stop"), BOOM);
        assertThat(downOf(e)).isEqualTo(BOOM);
        box.send(j, Atom.of("after"));
        assertThat(got(j)).isEqualTo(Atom.of("after")); // no EXIT came first

        Pid e2 = erlProc(true);
        Pid j2 = javaProc(false);
        cmd(e2, Atom.of("link"), j2);
        cmd(e2, Atom.of("unlink"), j2);
        box.monitor(j2);
        box.send(j2, Tuple.of(CMD, Atom.of("stop"), BOOM));
        assertThat(downOf(j2)).isEqualTo(BOOM);
        box.send(e2, Atom.of("after"));
        assertThat(got(e2)).isEqualTo(Atom.of("after"));
    }

    @Test
    void linkingToAProcessThatDoesNotExistGivesNoproc() {
        Pid gone = erlProc(false);
        box.monitor(gone);
        tell(gone, Atom.of("stop"), Reasons.NORMAL);
        downOf(gone);
        Pid j = javaProc(true);
        cmd(j, Atom.of("link"), gone);
        assertThat(got(j)).isEqualTo(Tuple.of(Atom.of("EXIT"), gone, Reasons.NOPROC));

        Pid goneJ = javaProc(false);
        box.monitor(goneJ);
        box.send(goneJ, Tuple.of(CMD, Atom.of("stop"), Reasons.NORMAL));
        downOf(goneJ);
        Pid e = erlProc(true);
        cmd(e, Atom.of("link"), goneJ);
        assertThat(got(e)).isEqualTo(Tuple.of(Atom.of("EXIT"), goneJ, Reasons.NOPROC));
    }

    // ------------------------------------------------------------------ monitors

    @Test
    void monitorsByPidAndByNameBothWays() {
        Pid e = erlProc(false);
        Ref byPid = box.monitor(e);
        cmd(e, Atom.of("register"), Atom.of("ft_named"));
        Ref byName = box.monitor(Name.of("ft_named", erl.name()));
        tell(e, Atom.of("stop"), BOOM);
        assertThat(expect(m -> m instanceof Down d && d.ref().equals(byPid))).isEqualTo(new Down(byPid, e, BOOM));
        assertThat(expect(m -> m instanceof Down d && d.ref().equals(byName)))
                .isEqualTo(new Down(byName, Name.of("ft_named", erl.name()), BOOM));

        Pid watcher = erlProc(false);
        Pid j = java.spawn(() -> new JProc(false, null), SpawnOptions.none().register("ft_java_named"));
        Object ref1 = cmd(watcher, Atom.of("monitor"), j);
        Object ref2 = cmd(watcher, Atom.of("monitor"), Tuple.of(Atom.of("ft_java_named"), java.name()));
        box.send(j, Tuple.of(CMD, Atom.of("stop"), BOOM));
        List<Object> downs = List.of(got(watcher), got(watcher));
        assertThat(downs).containsExactlyInAnyOrder(
                Tuple.of(Atom.of("DOWN"), ref1, Atom.of("process"), j, BOOM),
                Tuple.of(Atom.of("DOWN"), ref2, Atom.of("process"), Tuple.of(Atom.of("ft_java_named"), java.name()),
                        BOOM));
    }

    @Test
    void aMissingNameGivesNoprocAndDemonitorMeansSilenceBothWays() {
        Ref missing = box.monitor(Name.of("nobody_there", erl.name()));
        assertThat(expect(m -> m instanceof Down d && d.ref().equals(missing)))
                .isEqualTo(new Down(missing, Name.of("nobody_there", erl.name()), Reasons.NOPROC));
        Pid watcher = erlProc(false);
        Object ref = cmd(watcher, Atom.of("monitor"), Tuple.of(Atom.of("nobody_here"), java.name()));
        assertThat(got(watcher)).isEqualTo(Tuple.of(Atom.of("DOWN"), ref, Atom.of("process"),
                Tuple.of(Atom.of("nobody_here"), java.name()), Reasons.NOPROC));

        Pid e = erlProc(false);
        Ref r = box.monitor(e);
        box.demonitor(r);
        Pid j = javaProc(false);
        Object r2 = cmd(watcher, Atom.of("monitor"), j);
        cmd(watcher, Atom.of("demonitor"), r2);
        tell(e, Atom.of("stop"), BOOM);
        box.send(j, Tuple.of(CMD, Atom.of("stop"), BOOM));
        box.send(watcher, Atom.of("marker"));
        assertThat(got(watcher)).isEqualTo(Atom.of("marker"));
        assertThat(box.receive(m -> m instanceof Down, Duration.ofMillis(300))).isNull();
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
    void ergonSpawnsOnErlangWithLinkAndMonitor() {
        try (Mailbox m = java.mailbox()) {
            Spawned s = m.spawnRemote(erl.name(), "ergon_ft", "start", List.of(Atom.TRUE, Atom.UNDEFINED,
                    Tuple.of(Atom.of("ft_report"), java.name())), SpawnOptions.none().monitor(), WAIT);
            assertThat(s.monitor()).isNotNull();
            // the spawned function spawns the actual worker and returns; our monitor sees it finish normally
            assertThat(m.receive(x -> x instanceof Down d && d.ref().equals(s.monitor()), WAIT))
                    .isEqualTo(new Down(s.monitor(), s.pid(), Reasons.NORMAL));
            m.trapExit(true);
            Spawned linked = m.spawnRemote(erl.name(), "timer", "sleep", List.of(60_000L),
                    SpawnOptions.none().link(), WAIT);
            m.exit(linked.pid(), BOOM);
            assertThat(m.receive(x -> x instanceof Exit, WAIT)).isEqualTo(new Exit(linked.pid(), BOOM));
            assertThatThrownBy(() -> m.spawnRemote("no_such_node@localhost", "timer", "sleep", List.of(1L),
                    SpawnOptions.none(), WAIT)).isInstanceOfSatisfying(SpawnException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reasons.NOCONNECTION));
        }
    }

    @Test
    void ergonCallsErlangThroughErpcAndRex() {
        Rpc rpc = java.rpc();
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
}
