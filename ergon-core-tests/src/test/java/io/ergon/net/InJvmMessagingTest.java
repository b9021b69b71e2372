package io.ergon.net;

import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.testing.TestAgent;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Two Ergon nodes in this JVM. */
class InJvmMessagingTest extends MessagingContract {
    static EpmdServer epmd;
    static Node a;
    static Node b;

    @BeforeAll
    static void start() throws Exception {
        epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
        NodeOptions o = NodeOptions.defaults().distributed(true).cookie("injvm").epmdPort(epmd.port())
                .listenAddress(InetAddress.getLoopbackAddress());
        a = Node.start("injvm_a@localhost", o);
        b = Node.start("injvm_b@localhost", o);
        a.spawnRegister("echo", TestAgent.Echo::new);
        b.spawnRegister("echo", TestAgent.Echo::new);
        b.spawnRegister("agent", TestAgent::new);
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        epmd.close();
    }

    @Override
    Node local() {
        return a;
    }

    @Override
    String peer() {
        return "injvm_b@localhost";
    }
}
