package io.ergon.net;

import static io.ergon.net.NamespaceCluster.ask;
import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.testing.NetNamespaces.Host;
import io.ergon.testing.RunsAlone;
import io.ergon.testkit.ChildJvm;
import io.ergon.testkit.ErlangNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition and its heal on three namespace hosts (an Erlang node on {@code a}, Ergon nodes on {@code b} and
 * {@code c}, TLS, net_ticktime 4 s): host {@code c} is cut off the bridge, so its connections go silent (no FIN, no
 * reset) and only the ticks can tell. Every side sees {@code nodedown} within the tick bound (1.25 net_ticktime after
 * the last traffic, plus scheduling slack); links and monitors across the cut fire with {@code noconnection} and a
 * pending call fails with {@code {nodedown, Node}} (as {@code gen:call}'s), on both sides; the global name and the pg members of {@code c} leave the others' views. After
 * the heal the nodes reconnect, messages flow both ways in order, and names and groups re-converge everywhere.
 *
 * <p>The Erlang node drives the scenario: the test processes ({@code ergon_ft} and its Java twin
 * {@link io.ergon.testing.TestProc}) are spawned from it and report to its shell process, except those on {@code c},
 * which report to {@code c}'s printer (its stdout) because {@code c} is the side that gets cut off.
 */
@RunsAlone
@Tag("erlang")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MultiHostPartitionTest {
    @RegisterExtension
    static final NamespaceCluster.PrintOnFailure PRINT_ON_FAILURE = new NamespaceCluster.PrintOnFailure();
    static final int TICK_SECONDS = 4;
    /** The tick bound, 1.25 net_ticktime, plus two seconds for a busy machine's scheduling. */
    static final long DETECTION_BOUND_MS = TICK_SECONDS * 1250L + 2000;
    static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    static Path dir;
    static NamespaceCluster cluster;
    static ErlangNode erl;
    static ChildJvm b;
    static ChildJvm c;
    static Host hostC;
    static String nameB;
    static String nameC;

    @BeforeAll
    static void start() throws Exception {
        NamespaceCluster.assumeAvailable();
        cluster = NamespaceCluster.create(dir, "a.ergon.test", "b.ergon.test", "c.ergon.test");
        Host hostB = cluster.host("b.ergon.test");
        hostC = cluster.host("c.ergon.test");
        Duration tick = Duration.ofSeconds(TICK_SECONDS);
        erl = cluster.startErlang(cluster.host("a.ergon.test"), "erl_a", TICK_SECONDS);
        erl.loadResource("ergon_ft");
        b = cluster.startErgon(hostB, "ergon_b", tick, cluster.optFile(hostB));
        c = cluster.startErgon(hostC, "ergon_c", tick, cluster.optFile(hostC));
        nameB = "ergon_b@" + hostB.name();
        nameC = "ergon_c@" + hostC.name();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Evaluates on the Erlang node with {@code B} and {@code C} bound to the Ergon nodes' names. */
    static String eval(String expressions) {
        return erl.eval("B = '" + nameB + "', C = '" + nameC + "', " + expressions, Duration.ofSeconds(40));
    }

    @Test
    void aPartitionIsDetectedOnEverySideWithinTheTickBoundAndTheHealReconvergesTheCluster() throws Exception {
        // a full mesh of three, then node changes reported to the Erlang shell process. The Erlang node pings up
        // to 3 times: with net_ticktime 4 s, a JVM just started on a loaded machine (load 16) once sent nothing
        // for 4 s after its first TLS handshake, and Erlang dropped the connection as not responding (pang).
        eval("register(ctl, self()), {ok, _} = pg:start(pg), ok.");
        assertThat(eval("Ping = fun Retry(N, Tries) -> case net_adm:ping(N) of pong -> pong; "
                + "pang when Tries > 1 -> timer:sleep(1000), Retry(N, Tries - 1); pang -> pang end end, "
                + "{Ping(B, 3), Ping(C, 3)}.")).isEqualTo("{pong,pong}");
        assertThat(ask(b, "connect " + nameC, WAIT, "CONNECTED", "NOT_CONNECTED")).isEqualTo("CONNECTED " + nameC);
        assertThat(eval("ok = net_kernel:monitor_nodes(true), lists:sort(nodes()) =:= lists:sort([B, C])."))
                .isEqualTo("true");

        // across the cut to come: b's processes link to, monitor and call c's; c's do the same to b's
        String setUp = eval("Start = fun(N, Trap, Report) -> P = spawn(N, ft, proc, [Trap, Report]), "
                + "receive {ready, P} -> P after 10000 -> exit({not_ready, N}) end end, "
                + "Ctl = {ctl, node()}, Pr = {printer, C}, "
                + "Lb = Start(B, true, Ctl), Mb = Start(B, false, Ctl), Kb = Start(B, false, Ctl), "
                + "Lc = spawn(C, ft, proc, [true, Pr]), Mc = spawn(C, ft, proc, [false, Pr]), "
                + "Kc = spawn(C, ft, proc, [false, Pr]), Vc = Start(C, false, Ctl), Vb = Start(B, false, Ctl), "
                + "Lb ! {cmd, link, Vc}, receive {done, link, true} -> ok after 10000 -> exit(no_link) end, "
                + "Mb ! {cmd, monitor, Vc}, receive {done, monitor, _} -> ok after 10000 -> exit(no_monitor) end, "
                + "Kb ! {cmd, call, {sink, C}, pending, 60000}, "
                + "Lc ! {cmd, link, Vb}, Mc ! {cmd, monitor, Vb}, Kc ! {cmd, call, {sink, B}, pending, 60000}, "
                + "{Lb, Mb, Kb, Vc}.");
        assertThat(setUp).startsWith("{<");
        // c's printer has seen its three processes ready, the link and the monitor done
        c.awaitLine(0, l -> l.startsWith("GOT") && l.contains("monitor"), WAIT);

        // c's global name and pg members, and one member each on a and b
        assertThat(eval("is_pid(erpc:call(C, ft, global_register, [c_name])).")).isEqualTo("true");
        eval("erpc:call(C, ft, pg_join, [grp]), erpc:call(B, ft, pg_join, [grp]), "
                + "pg:join(grp, spawn(fun() -> receive stop -> ok end end)).");
        String cName = eval("global:whereis_name(c_name).");
        awaitViews(cName, 3);

        int bFrom = b.lines().size();
        int cFrom = c.lines().size();
        long cut = System.currentTimeMillis();
        cluster.net.partition(hostC);

        // nodedown within the tick bound, on every side
        long erlangSaw = Long.parseLong(eval("receive {nodedown, C} -> erlang:system_time(millisecond) "
                + "after 20000 -> 0 end."));
        long bSaw = millis(b.awaitLine(bFrom, l -> l.startsWith("NODEDOWN " + nameC), WAIT));
        long cSawB = millis(c.awaitLine(cFrom, l -> l.startsWith("NODEDOWN " + nameB), WAIT));
        long cSawA = millis(c.awaitLine(cFrom, l -> l.startsWith("NODEDOWN " + erl.name()), WAIT));
        System.out.printf("nodedown after the cut (ms): erlang %d, b %d, c of b %d, c of a %d%n", erlangSaw - cut,
                bSaw - cut, cSawB - cut, cSawA - cut);
        assertThat(erlangSaw - cut).as("the Erlang node's nodedown of c").isPositive()
                .isLessThanOrEqualTo(DETECTION_BOUND_MS);
        assertThat(bSaw - cut).as("b's nodedown of c").isLessThanOrEqualTo(DETECTION_BOUND_MS);
        assertThat(cSawB - cut).as("c's nodedown of b").isLessThanOrEqualTo(DETECTION_BOUND_MS);
        assertThat(cSawA - cut).as("c's nodedown of the Erlang node").isLessThanOrEqualTo(DETECTION_BOUND_MS);

        // on b: the link, the monitor and the pending call fired with noconnection
        assertThat(eval("receive {got, _, {'EXIT', _, R}} -> R after 10000 -> none end.")).isEqualTo("noconnection");
        assertThat(eval("receive {got, _, {'DOWN', _, process, _, R}} -> R after 10000 -> none end."))
                .isEqualTo("noconnection");
        // as gen:call does, the call fails with {nodedown, Node}
        assertThat(eval("receive {done, call, R} -> R after 10000 -> none end.")).isEqualTo(
                "{call_failed,{nodedown,'" + nameC + "'}}");
        // on c: the same three, printed
        c.awaitLine(cFrom, l -> l.startsWith("GOT") && l.contains("EXIT") && l.contains("noconnection"), WAIT);
        c.awaitLine(cFrom, l -> l.startsWith("GOT") && l.contains("DOWN") && l.contains("noconnection"), WAIT);
        c.awaitLine(cFrom, l -> l.startsWith("GOT") && l.contains("call_failed") && l.contains("nodedown")
                && l.contains(nameB), WAIT);
        // c's name and member left the views of a and b
        awaitViews("undefined", 2);

        // the heal: the nodes reconnect and messages flow both ways, in order
        cluster.net.heal(hostC);
        assertThat(ask(b, "connect " + nameC, WAIT, "CONNECTED", "NOT_CONNECTED")).isEqualTo("CONNECTED " + nameC);
        Awaitility.await().atMost(WAIT).until(() -> eval("net_adm:ping(C).").equals("pong"));
        assertThat(ask(b, "stream " + nameC + " 10000", WAIT, "STREAM")).endsWith(" in_order");
        assertThat(ask(c, "stream " + nameB + " 10000", WAIT, "STREAM")).endsWith(" in_order");
        assertThat(eval("erpc:call(C, ft, add, [40, 2]).")).isEqualTo("42");
        // and names and groups re-converge: c's name and member are back everywhere, c sees everyone's members
        awaitViews(cName, 3);
        Awaitility.await().atMost(WAIT).until(() -> eval(
                "{erpc:call(C, ft, global_whereis, [c_name]) =:= global:whereis_name(c_name), "
                        + "length(erpc:call(C, ft, pg_members, [grp]))}.").equals("{true,3}"));
    }

    /** Waits until a and b both see {@code c_name} as {@code name} and {@code members} members of {@code grp}. */
    static void awaitViews(String name, int members) {
        String want = "{" + name + "," + name + "," + members + "," + members + "}";
        String[] seen = {""};
        try {
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                seen[0] = eval("{global:whereis_name(c_name), erpc:call(B, ft, global_whereis, [c_name]), "
                        + "length(pg:get_members(grp)), length(erpc:call(B, ft, pg_members, [grp]))}.");
                return seen[0].equals(want);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // what each side saw last tells a name that did not spread from a group that did not
            throw new AssertionError("the views did not converge to " + want + " within " + WAIT + "; last seen "
                    + seen[0] + "; c sees " + eval("{erpc:call(C, ft, global_whereis, [c_name]), "
                    + "length(erpc:call(C, ft, pg_members, [grp]))}."), e);
        }
    }

    static long millis(String nodeLine) {
        String[] parts = nodeLine.split(" ");
        return Long.parseLong(parts[parts.length - 1]);
    }
}
