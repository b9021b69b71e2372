package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Down;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnOptions;
import io.ergon.node.Spawned;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import io.ergon.testing.TestProc;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Links, monitors and exits between a process of this node and a process of a peer node, each direction. The peer
 * runs a process that obeys {@code {cmd, ...}} messages and reports to {@code ft_report} here (Erlang's
 * {@code ergon_ft} or Ergon's {@link TestProc}); subclasses say how to start one.
 */
abstract class FaultToleranceContract {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Atom BOOM = Atom.of("boom");
    static final Atom CMD = Atom.of("cmd");
    static final Atom GOT = Atom.of("got");
    Mailbox box;

    abstract Node local();

    abstract String peer();

    /** Starts a test process on the peer that reports to {@link #report()}, and returns its pid. */
    abstract Pid remoteProc(boolean trap);

    /** What a peer process that crashed on purpose exits with. */
    abstract void assertRemoteCrashReason(Object reason);

    /** A child spec for a process on the peer that reports {ready, Self} to {@link #report()} and obeys commands. */
    abstract io.ergon.gen.ChildSpec remoteWorkerSpec(String id);

    /** Spawns, from {@code m}, something on the peer that waits for a long time. */
    abstract Spawned spawnSleeperOnPeer(Mailbox m, SpawnOptions options);

    Name report() {
        return new Name(Atom.of("ft_report"), local().name());
    }

    @BeforeEach
    void openReport() {
        box = local().mailbox("ft_report");
    }

    @AfterEach
    void closeReport() {
        box.close();
    }

    Pid javaProc(boolean trap) {
        Pid p = local().spawn(() -> new TestProc(trap, report()));
        got(p);
        return p;
    }

    /** Waits for a {ready, Pid} report. */
    Pid ready() {
        Tuple t = (Tuple) expect(m -> m instanceof Tuple x && x.size() == 2 && x.get(0).equals(Atom.of("ready")));
        return (Pid) t.get(1);
    }

    /** Sends {@code {cmd, ...}} and waits for its {@code {done, Op, Result}}. */
    Object cmd(Pid target, Object... parts) {
        tell(target, parts);
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
        Object m = expect(x -> (x instanceof Tuple t && t.size() == 3 && t.get(0) == GOT && t.get(1).equals(from))
                || (x instanceof Tuple r && r.size() == 2 && r.get(0).equals(Atom.of("ready")) && r.get(1).equals(from)));
        Tuple t = (Tuple) m;
        return t.size() == 3 ? t.get(2) : Atom.of("ready");
    }

    Object downOf(Pid p) {
        return ((Down) expect(m -> m instanceof Down d && d.item().equals(p))).reason();
    }

    // ------------------------------------------------------------------ links and exits

    @Test
    void anErlangCrashKillsALinkedJavaProcessAndTheReverse() {
        Pid e = remoteProc(false);
        Pid j = javaProc(false);
        cmd(j, Atom.of("link"), e);
        box.monitor(j);
        tell(e, Atom.of("crash"));
        assertRemoteCrashReason(downOf(j));

        Pid e2 = remoteProc(false);
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
        Pid e = remoteProc(false);
        Pid j = javaProc(true);
        cmd(j, Atom.of("link"), e);
        tell(e, Atom.of("stop"), BOOM);
        assertThat(got(j)).isEqualTo(Tuple.of(Atom.of("EXIT"), e, BOOM));

        Pid e2 = remoteProc(true);
        Pid j2 = javaProc(false);
        cmd(e2, Atom.of("link"), j2);
        box.send(j2, Tuple.of(CMD, Atom.of("stop"), BOOM));
        assertThat(got(e2)).isEqualTo(Tuple.of(Atom.of("EXIT"), j2, BOOM));
    }

    @Test
    void normalExitsDoNotKillLinkedProcesses() {
        Pid e = remoteProc(false);
        Pid j = javaProc(false);
        cmd(j, Atom.of("link"), e);
        tell(e, Atom.of("stop"), Reasons.NORMAL);
        box.send(j, Atom.of("still_alive"));
        assertThat(got(j)).isEqualTo(Atom.of("still_alive"));

        Pid e2 = remoteProc(false);
        Pid j2 = javaProc(false);
        cmd(e2, Atom.of("link"), j2);
        box.send(j2, Tuple.of(CMD, Atom.of("stop"), Reasons.NORMAL));
        box.send(e2, Atom.of("still_alive"));
        assertThat(got(e2)).isEqualTo(Atom.of("still_alive"));
    }

    @Test
    void killIsUntrappableAcrossNodesBothWays() {
        Pid e = remoteProc(true);
        box.monitor(e);
        box.exit(e, Reasons.KILL);
        assertThat(downOf(e)).isEqualTo(Reasons.KILLED);

        Pid j = javaProc(true);
        Pid e2 = remoteProc(false);
        box.monitor(j);
        cmd(e2, Atom.of("exit"), j, Reasons.KILL);
        assertThat(downOf(j)).isEqualTo(Reasons.KILLED);
    }

    @Test
    void afterUnlinkACrashDeliversNothing() {
        Pid e = remoteProc(false);
        Pid j = javaProc(true);
        cmd(j, Atom.of("link"), e);
        cmd(j, Atom.of("unlink"), e);
        box.monitor(e);
        tell(e, Atom.of("stop"), BOOM);
        assertThat(downOf(e)).isEqualTo(BOOM);
        box.send(j, Atom.of("after"));
        assertThat(got(j)).isEqualTo(Atom.of("after")); // no EXIT came first

        Pid e2 = remoteProc(true);
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
        Pid gone = remoteProc(false);
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
        Pid e = remoteProc(true);
        cmd(e, Atom.of("link"), goneJ);
        assertThat(got(e)).isEqualTo(Tuple.of(Atom.of("EXIT"), goneJ, Reasons.NOPROC));
    }

    // ------------------------------------------------------------------ monitors

    @Test
    void monitorsByPidAndByNameBothWays() {
        Pid e = remoteProc(false);
        Ref byPid = box.monitor(e);
        cmd(e, Atom.of("register"), Atom.of("ft_named"));
        Ref byName = box.monitor(Name.of("ft_named", peer()));
        tell(e, Atom.of("stop"), BOOM);
        assertThat(expect(m -> m instanceof Down d && d.ref().equals(byPid))).isEqualTo(new Down(byPid, e, BOOM));
        assertThat(expect(m -> m instanceof Down d && d.ref().equals(byName)))
                .isEqualTo(new Down(byName, Name.of("ft_named", peer()), BOOM));

        Pid watcher = remoteProc(false);
        Pid j = local().spawn(() -> new TestProc(false, report()), SpawnOptions.none().register("ft_java_named"));
        got(j);
        Object ref1 = cmd(watcher, Atom.of("monitor"), j);
        Object ref2 = cmd(watcher, Atom.of("monitor"), Tuple.of(Atom.of("ft_java_named"), local().name()));
        box.send(j, Tuple.of(CMD, Atom.of("stop"), BOOM));
        List<Object> downs = List.of(got(watcher), got(watcher));
        assertThat(downs).containsExactlyInAnyOrder(
                Tuple.of(Atom.of("DOWN"), ref1, Atom.of("process"), j, BOOM),
                Tuple.of(Atom.of("DOWN"), ref2, Atom.of("process"), Tuple.of(Atom.of("ft_java_named"), local().name()),
                        BOOM));
    }

    @Test
    void aMissingNameGivesNoprocAndDemonitorMeansSilenceBothWays() {
        Ref missing = box.monitor(Name.of("nobody_there", peer()));
        assertThat(expect(m -> m instanceof Down d && d.ref().equals(missing)))
                .isEqualTo(new Down(missing, Name.of("nobody_there", peer()), Reasons.NOPROC));
        Pid watcher = remoteProc(false);
        Object ref = cmd(watcher, Atom.of("monitor"), Tuple.of(Atom.of("nobody_here"), local().name()));
        assertThat(got(watcher)).isEqualTo(Tuple.of(Atom.of("DOWN"), ref, Atom.of("process"),
                Tuple.of(Atom.of("nobody_here"), local().name()), Reasons.NOPROC));

        Pid e = remoteProc(false);
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

    // ------------------------------------------------------------------ spawn

    @Test
    void spawnOnThePeerWithLinkAndMonitor() {
        try (Mailbox m = local().mailbox()) {
            Spawned monitored = spawnSleeperOnPeer(m, SpawnOptions.none().monitor());
            assertThat(monitored.monitor()).isNotNull();
            m.exit(monitored.pid(), BOOM);
            assertThat(m.receive(x -> x instanceof Down d && d.ref().equals(monitored.monitor()), WAIT))
                    .isEqualTo(new Down(monitored.monitor(), monitored.pid(), BOOM));
            m.trapExit(true);
            Spawned linked = spawnSleeperOnPeer(m, SpawnOptions.none().link());
            m.exit(linked.pid(), BOOM);
            assertThat(m.receive(x -> x instanceof io.ergon.node.Exit, WAIT))
                    .isEqualTo(new io.ergon.node.Exit(linked.pid(), BOOM));
        }
    }

    // ------------------------------------------------------------------ supervision across nodes

    @Test
    void aSupervisorHereRestartsItsWorkerOnThePeer() {
        io.ergon.gen.SupervisorSpec spec = io.ergon.gen.Supervisor.spec(io.ergon.gen.Strategy.ONE_FOR_ONE)
                .intensity(3, Duration.ofSeconds(5)).child(remoteWorkerSpec("remote"));
        Pid sup = io.ergon.gen.Supervisor.start(local(), spec);
        try {
            Pid first = ready();
            assertThat(first.node()).isEqualTo(Atom.of(peer()));
            io.ergon.gen.SupervisorClient client = io.ergon.gen.Supervisor.client(local(), sup);
            assertThat(client.whichChildren()).extracting(io.ergon.gen.ChildInfo::pid).containsExactly(first);
            tell(first, Atom.of("crash"));
            Pid second = ready();
            assertThat(second).isNotEqualTo(first);
            assertThat(second.node()).isEqualTo(Atom.of(peer()));
            assertThat(client.whichChildren()).extracting(io.ergon.gen.ChildInfo::pid).containsExactly(second);
            Ref mon = box.monitor(second);
            client.stop();
            assertThat(expect(m -> m instanceof Down d && d.ref().equals(mon)))
                    .isEqualTo(new Down(mon, second, Reasons.SHUTDOWN));
        } finally {
            if (local().isAlive(sup)) {
                local().exit(sup, Reasons.KILL);
            }
        }
    }
}
