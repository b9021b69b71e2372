package io.ergon.net;

import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.testing.RemoteNodeMain;
import io.ergon.testing.TestAgent;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** This JVM's node and a node in a child JVM, talking over loopback. */
class SeparateJvmMessagingTest extends MessagingContract {
    static EpmdServer epmd;
    static Node local;
    static Process child;

    @BeforeAll
    static void start() throws Exception {
        epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
        local = Node.start("jvm_a@localhost", NodeOptions.defaults().distributed(true).cookie("twojvms")
                .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()));
        local.spawnRegister("echo", TestAgent.Echo::new);
        child = RemoteNodeMain.launch("jvm_b@localhost", "twojvms", epmd.port());
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
        return "jvm_b@localhost";
    }
}
