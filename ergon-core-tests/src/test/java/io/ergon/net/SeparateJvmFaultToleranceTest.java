package io.ergon.net;

import io.ergon.node.Node;
import io.ergon.testing.TestPeer;
import io.ergon.testkit.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fault-tolerance contract between this JVM's node and an Ergon node in another JVM, plus rpc between them. */
class SeparateJvmFaultToleranceTest extends ErgonPeerFaultToleranceContract {
    @RegisterExtension
    static final TestCluster cluster = TestCluster.create();
    static Node local;
    static final String PEER = "ft_peer@localhost";

    @BeforeAll
    static void start() {
        local = cluster.ergon("ft_local");
        cluster.ergonJvm("ft_peer", TestPeer.class);
    }

    @Override
    Node local() {
        return local;
    }

    @Override
    String peer() {
        return PEER;
    }
}
