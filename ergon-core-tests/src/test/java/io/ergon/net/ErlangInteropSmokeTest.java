package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.gen.GenServer;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import io.ergon.testkit.ErlangNode;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("erlang")
class ErlangInteropSmokeTest {
    static final class Echo extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return request;
        }
    }

    @Test
    void pingAndCallBothWays() throws Exception {
        ErlangNode.assumeAvailable();
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Node java = Node.start("ergon_smoke@localhost", NodeOptions.defaults().distributed(true)
                     .cookie("interop").epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()));
             ErlangNode erl = ErlangNode.start("erl_smoke", "interop", epmd.port())) {
            assertThat(erl.eval("net_adm:ping('ergon_smoke@localhost').")).isEqualTo("pong");
            java.spawnRegister("echo", Echo::new);
            assertThat(erl.eval("gen_server:call({echo, 'ergon_smoke@localhost'}, {hello, 42}).")).isEqualTo("{hello,42}");
            assertThat(java.ping(erl.name())).isTrue();
            erl.eval("register(shell_box, self()).");
            try (Mailbox box = java.mailbox()) {
                box.send(Name.of("shell_box", erl.name()), Atom.of("from_java"));
                assertThat(erl.eval("receive M -> M after 5000 -> timeout end.")).isEqualTo("from_java");
            }
            Object answer = java.call(Name.of("net_kernel", erl.name()), io.ergon.term.Tuple.of(Atom.of("is_auth"),
                    java.name()), Duration.ofSeconds(5));
            assertThat(answer).isEqualTo(Atom.of("yes"));
        }
    }
}
