package io.ergon.net;

import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.testing.RemoteNodeMain;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The fault-tolerance contract between this JVM's node and an Ergon node in another JVM, plus rpc between them. */
class SeparateJvmFaultToleranceTest extends ErgonPeerFaultToleranceContract {
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
}
