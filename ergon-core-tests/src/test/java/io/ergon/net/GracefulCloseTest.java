package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Down;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import io.ergon.testing.RunsAlone;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A node that closes flushes its connections while their writers can still run: the exit signals of its processes
 * reach the other node (a monitor there sees {@code shutdown}, not {@code noconnection}), and close does not sit
 * out the 2 s it allows for a flush that cannot happen.
 */
@RunsAlone
class GracefulCloseTest {
    static final class Echo extends io.ergon.gen.GenServer {
        @Override
        protected Object handleCall(Object request, io.ergon.node.From from) {
            return request;
        }
    }

    @Test
    void aClosingNodesProcessesReachTheOtherNodeWithTheirReasonAndCloseIsQuick() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            NodeOptions options = NodeOptions.defaults().distributed(true).cookie("close")
                    .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress());
            try (Node stays = Node.start("close_stays@localhost", options);
                 Mailbox watcher = stays.mailbox()) {
                Node goes = Node.start("close_goes@localhost", options);
                Pid pid = goes.spawnRegister("worker", Echo::new);
                assertThat(stays.ping("close_goes@localhost")).isTrue();
                watcher.monitor(pid);
                // the monitor goes before the call on the one connection: once answered, the worker holds it
                assertThat(watcher.callAs(pid, "sync", String.class)).isEqualTo("sync");

                long t0 = System.nanoTime();
                goes.close();
                Duration took = Duration.ofNanos(System.nanoTime() - t0);

                Down down = (Down) watcher.receive(m -> m instanceof Down, Duration.ofSeconds(10));
                assertThat(down).isNotNull();
                assertThat(down.reason()).as("the process's own exit, sent before the connection closed")
                        .isEqualTo(Reasons.SHUTDOWN);
                assertThat(took).as("close waited for a flush that could not happen").isLessThan(Duration.ofSeconds(1));
            }
        }
    }
}
