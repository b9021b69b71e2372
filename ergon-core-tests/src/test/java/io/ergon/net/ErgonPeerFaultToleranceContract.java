package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.node.Mailbox;
import io.ergon.node.SpawnException;
import io.ergon.node.SpawnOptions;
import io.ergon.node.Spawned;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fault-tolerance contract against an Ergon peer that serves what {@link io.ergon.testing.TestPeer} serves
 * (its {@code ft} rpc functions and {@code ft:proc} spawns of {@link io.ergon.testing.TestProc}), plus rpc between
 * the two; subclasses say where the peer runs.
 */
abstract class ErgonPeerFaultToleranceContract extends FaultToleranceContract {
    @Override
    Pid remoteProc(boolean trap) {
        box.spawnRemote(peer(), "ft", "proc", List.of(Atom.of(trap), report()), SpawnOptions.none(), WAIT);
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
        return io.ergon.gen.ChildSpec.remoteWorker(id, peer(), "ft", "proc", List.of(Atom.FALSE, report()));
    }

    @Override
    Spawned spawnSleeperOnPeer(Mailbox m, SpawnOptions options) {
        Spawned s = m.spawnRemote(peer(), "ft", "proc", List.of(Atom.FALSE, report()), options, WAIT);
        ready();
        return s;
    }

    @Test
    void rpcBetweenErgonNodes() {
        Rpc rpc = Rpc.of(local());
        assertThat(rpc.call(peer(), "ft", "add", List.of(2L, 3L), WAIT)).isEqualTo(5L);
        assertThat(rpc.callRex(peer(), "ft", "add", List.of(20L, 22L), WAIT)).isEqualTo(42L);
        assertThatThrownBy(() -> rpc.call(peer(), "ft", "fail", List.of(), WAIT))
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RpcException.Kind.ERROR);
                    assertThat(((Tuple) e.reason()).get(0)).isEqualTo(Atom.of("java_exception"));
                    assertThat(e.stack()).isNotEmpty();
                });
        assertThatThrownBy(() -> rpc.call(peer(), "ft", "nope", List.of(1L), WAIT))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.reason()).isEqualTo(Atom.of("undef")));
        assertThat(rpc.call(peer(), "erlang", "node", List.of(), WAIT)).isEqualTo(Atom.of(peer()));
    }

    @Test
    void spawningWhatThePeerDoesNotAllowIsRefused() {
        try (Mailbox m = local().mailbox()) {
            assertThatThrownBy(() -> m.spawnRemote(peer(), "ft", "forbidden", List.of(), SpawnOptions.none(), WAIT))
                    .isInstanceOfSatisfying(SpawnException.class,
                            e -> assertThat(e.reason()).isEqualTo(Atom.of("not_allowed")));
        }
    }
}
