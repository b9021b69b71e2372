package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Mailbox;
import io.ergon.node.SpawnOptions;
import io.ergon.node.Spawned;
import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import java.util.List;

/**
 * The fault-tolerance contract against an Erlang peer that has {@code ergon_ft} (a test resource) loaded; subclasses
 * say where the peer runs and how its test processes start.
 */
abstract class ErlangPeerFaultToleranceContract extends FaultToleranceContract {
    @Override
    void assertRemoteCrashReason(Object reason) {
        assertThat(reason).isInstanceOfSatisfying(Tuple.class,
                t -> assertThat(t.get(0)).isEqualTo(Atom.of("crashed_on_purpose")));
    }

    @Override
    io.ergon.gen.ChildSpec remoteWorkerSpec(String id) {
        return io.ergon.gen.ChildSpec.remoteWorker(id, peer(), "ergon_ft", "worker", List.of(report()));
    }

    @Override
    Spawned spawnSleeperOnPeer(Mailbox m, SpawnOptions options) {
        return m.spawnRemote(peer(), "timer", "sleep", List.of(60_000L), options, WAIT);
    }
}
