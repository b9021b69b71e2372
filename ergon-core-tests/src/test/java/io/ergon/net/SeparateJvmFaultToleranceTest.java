package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.SpawnException;
import io.ergon.node.SpawnOptions;
import io.ergon.node.Spawned;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import io.ergon.testing.RemoteNodeMain;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fault-tolerance contract between this JVM's node and an Ergon node in another JVM, plus rpc between them. */
class SeparateJvmFaultToleranceTest extends FaultToleranceContract {
    static EpmdServer epmd;
    static Node local;
    static Process child;
    static final String PEER = "ft_peer@localhost";

    @BeforeAll
    static void start() throws Exception {
        epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
        local = Node.start("ft_local@localhost", NodeOptions.defaults().distributed(true).cookie("ftjvm")
                .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()));
        child = RemoteNodeMain.launch(PEER, "ftjvm", epmd.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (child != null) {
            child.getOutputStream().close();
            if (!child.waitFor(15, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        local.close();
        epmd.close();
    }

    @Override
    Node local() {
        return local;
    }

    @Override
    String peer() {
        return PEER;
    }

    @Override
    Pid remoteProc(boolean trap) {
        box.spawnRemote(PEER, "ft", "proc", List.of(Atom.of(trap), report()), SpawnOptions.none(), WAIT);
        return ready();
    }

    @Override
    void assertRemoteCrashReason(Object reason) {
        assertThat(reason).isInstanceOfSatisfying(Tuple.class, t -> {
            assertThat(t.get(0)).isEqualTo(Atom.of("java_exception"));
            assertThat(t.get(1)).isEqualTo(Atom.of("java.lang.IllegalStateException"));
        });
    }

    @Override
    io.ergon.gen.ChildSpec remoteWorkerSpec(String id) {
        return io.ergon.gen.ChildSpec.remoteWorker(id, PEER, "ft", "proc", List.of(Atom.FALSE, report()));
    }

    @Override
    Spawned spawnSleeperOnPeer(Mailbox m, SpawnOptions options) {
        Spawned s = m.spawnRemote(PEER, "ft", "proc", List.of(Atom.FALSE, report()), options, WAIT);
        ready();
        return s;
    }

    @Test
    void rpcBetweenErgonNodes() {
        Rpc rpc = Rpc.of(local);
        assertThat(rpc.call(PEER, "ft", "add", List.of(2L, 3L), WAIT)).isEqualTo(5L);
        assertThat(rpc.callRex(PEER, "ft", "add", List.of(20L, 22L), WAIT)).isEqualTo(42L);
        assertThatThrownBy(() -> rpc.call(PEER, "ft", "fail", List.of(), WAIT))
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RpcException.Kind.ERROR);
                    assertThat(((Tuple) e.reason()).get(0)).isEqualTo(Atom.of("java_exception"));
                    assertThat(e.stack()).isNotEmpty();
                });
        assertThatThrownBy(() -> rpc.call(PEER, "ft", "nope", List.of(1L), WAIT))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.reason()).isEqualTo(Atom.of("undef")));
        assertThat(rpc.call(PEER, "erlang", "node", List.of(), WAIT)).isEqualTo(Atom.of(PEER));
    }

    @Test
    void spawningWhatThePeerDoesNotAllowIsRefused() {
        try (Mailbox m = local.mailbox()) {
            assertThatThrownBy(() -> m.spawnRemote(PEER, "ft", "forbidden", List.of(), SpawnOptions.none(), WAIT))
                    .isInstanceOfSatisfying(SpawnException.class,
                            e -> assertThat(e.reason()).isEqualTo(Atom.of("not_allowed")));
        }
    }
}
