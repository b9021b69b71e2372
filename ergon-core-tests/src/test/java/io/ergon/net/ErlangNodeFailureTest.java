package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Actor;
import io.ergon.node.CallException;
import io.ergon.node.Down;
import io.ergon.node.Exit;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeDown;
import io.ergon.node.NodeOptions;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import io.ergon.testkit.ErlangNode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** kill -9 of an Erlang node: everything on the Ergon side that depended on it learns at once; then it comes back. */
@Tag("erlang")
class ErlangNodeFailureTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void killMinusNineReachesEveryLinkMonitorAndCallThenTheNodeReturns() throws Exception {
        ErlangNode.assumeAvailable();
        Duration tick = Duration.ofSeconds(4);
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Node java = Node.start("ergon_fail@localhost", NodeOptions.defaults().distributed(true).cookie("k9")
                     .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()).netTickTime(tick));
             Mailbox probe = java.mailbox("probe")) {
            ErlangNode erl = ErlangNode.start("erl_victim", "k9", epmd.port());
            Pid oldPid;
            try {
                erl.loadResource("ergon_ft");
                erl.eval("register(victim, ergon_ft:start(false, undefined, {probe, 'ergon_fail@localhost'})).");
                Tuple ready = (Tuple) probe.receive(WAIT);
                oldPid = (Pid) ready.get(1);
                erl.eval("register(silent, spawn(fun() -> receive never -> ok end end)).");
                // a link, monitors by pid and by name, a node monitor, a linked process and a pending call
                probe.trapExit(true);
                probe.link(oldPid);
                probe.monitor(oldPid);
                probe.monitor(Name.of("victim", erl.name()));
                java.monitorNode(probe.pid(), erl.name());
                Pid linkedActor = java.spawn(() -> new Actor() {
                    @Override
                    protected void init() {
                        link(oldPid);
                    }
                });
                CompletableFuture<Object> call = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> {
                    try {
                        call.complete(java.call(Name.of("silent", erl.name()), "hello", Duration.ofSeconds(60)));
                    } catch (CallException e) {
                        call.complete(e.failure());
                    }
                });
                Awaitility.await().atMost(WAIT).until(() -> erl.eval("{links, L} = process_info(whereis(victim), links), "
                        + "{monitored_by, M} = process_info(whereis(victim), monitored_by), {length(L), length(M)}.")
                        .equals("{2,2}"));
                Awaitility.await().atMost(WAIT).until(() -> erl.eval( // the call's request has arrived
                        "element(2, process_info(whereis(silent), message_queue_len)).").equals("1"));

                long t0 = System.nanoTime();
                erl.kill();
                assertThat(probe.receive(m -> m instanceof Exit, WAIT)).isEqualTo(new Exit(oldPid, Reasons.NOCONNECTION));
                assertThat(((Down) probe.receive(m -> m instanceof Down d && d.item() instanceof Pid, WAIT)).reason())
                        .isEqualTo(Reasons.NOCONNECTION);
                assertThat(((Down) probe.receive(m -> m instanceof Down d && d.item() instanceof Name, WAIT)).reason())
                        .isEqualTo(Reasons.NOCONNECTION);
                assertThat(probe.receive(m -> m instanceof NodeDown, WAIT)).isInstanceOf(NodeDown.class);
                assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(Tuple.of(Atom.of("nodedown"), Atom.of(erl.name())));
                Awaitility.await().atMost(WAIT).until(() -> !java.isAlive(linkedActor));
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(took).as("everything learned within the tick bound").isLessThan(tick);
            } finally {
                erl.kill();
            }

            // the node comes back with a new creation: reachable again, and its old pids match nothing
            ErlangNode again = ErlangNode.start("erl_victim", "k9", epmd.port());
            try {
                assertThat(java.ping(again.name())).isTrue();
                again.loadResource("ergon_ft");
                again.eval("register(victim, ergon_ft:start(false, undefined, {probe, 'ergon_fail@localhost'})).");
                Pid newPid = (Pid) ((Tuple) probe.receive(m -> m instanceof Tuple t && t.get(0).equals(Atom.of("ready")),
                        WAIT)).get(1);
                assertThat(newPid.node()).isEqualTo(oldPid.node());
                assertThat(newPid.creation()).isNotEqualTo(oldPid.creation());
                assertThat(newPid).isNotEqualTo(oldPid);
                probe.link(oldPid);
                assertThat(probe.receive(m -> m instanceof Exit, WAIT)).isEqualTo(new Exit(oldPid, Reasons.NOPROC));
                probe.send(oldPid, Atom.of("lost")); // dropped: no such process any more
                probe.send(newPid, Atom.of("found"));
                assertThat(probe.receive(m -> m instanceof Tuple t && t.get(0).equals(Atom.of("got")), WAIT))
                        .isEqualTo(Tuple.of(Atom.of("got"), newPid, Atom.of("found")));
            } finally {
                again.close();
            }
        }
    }
}
