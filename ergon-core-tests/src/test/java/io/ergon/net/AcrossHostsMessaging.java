package io.ergon.net;

import io.ergon.node.Node;

/** {@link MessagingContract} between two Ergon nodes on two namespace hosts ({@link AcrossHosts}). */
class AcrossHostsMessaging extends MessagingContract {
    @Override
    Node local() {
        return AcrossHosts.node;
    }

    @Override
    String peer() {
        return AcrossHosts.ergonPeer;
    }
}
