package io.ergon.net;

import io.ergon.node.Node;

/** The fault-tolerance contract between two Ergon nodes on two namespace hosts ({@link AcrossHosts}). */
class AcrossHostsFaultTolerance extends ErgonPeerFaultToleranceContract {
    @Override
    Node local() {
        return AcrossHosts.node;
    }

    @Override
    String peer() {
        return AcrossHosts.ergonPeer;
    }
}
