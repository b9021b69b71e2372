package io.ergon.net;

import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.util.List;

/**
 * The fault-tolerance contract between an Ergon node and an Erlang node (with {@code ergon_ft} loaded) on two
 * namespace hosts ({@link AcrossHosts}): the Erlang test processes start by rpc.
 */
class AcrossHostsErlangFaultTolerance extends ErlangPeerFaultToleranceContract {
    @Override
    Node local() {
        return AcrossHosts.node;
    }

    @Override
    String peer() {
        return AcrossHosts.erlangPeer;
    }

    @Override
    Pid remoteProc(boolean trap) {
        Object started = Rpc.of(local()).call(peer(), "ergon_ft", "start", List.of(Atom.of(trap), Atom.of("undefined"),
                Tuple.of(Atom.of("ft_report"), local().name())), WAIT);
        Pid ready = ready();
        if (!ready.equals(started)) {
            throw new AssertionError("ergon_ft:start returned " + started + " but " + ready + " reported ready");
        }
        return ready;
    }
}
