package io.ergon.net;

import io.ergon.node.Node;
import io.ergon.testing.TestAgent;
import io.ergon.testing.TestPeer;
import io.ergon.testkit.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** This JVM's node and a node in a child JVM, talking over loopback. */
class SeparateJvmMessagingTest extends MessagingContract {
    @RegisterExtension
    static final TestCluster cluster = TestCluster.create();
    static Node local;

    @BeforeAll
    static void start() {
        local = cluster.ergon("jvm_a");
        local.spawnRegister("echo", TestAgent.Echo::new);
        cluster.ergonJvm("jvm_b", TestPeer.class);
    }

    @Override
    Node local() {
        return local;
    }

    @Override
    String peer() {
        return "jvm_b@localhost";
    }
}
