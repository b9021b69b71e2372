package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Functions offered over rpc are identified by module, name and arity, as Erlang's are. */
class RpcRegistrationTest {
    @Test
    void twoAritiesOfOneFunctionAreTwoFunctions() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Node node = Node.start("rpc_reg@localhost", NodeOptions.defaults().distributed(true).cookie("reg")
                     .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()))) {
            Rpc rpc = Rpc.of(node);
            Atom m = Atom.of("calc");
            Atom f = Atom.of("f");
            rpc.register("calc", "f", 1, args -> "one");
            rpc.register("calc", "f", 2, args -> "two");
            assertThat(rpc.find(m, f, 1).apply(List.of(1L))).isEqualTo("one");
            assertThat(rpc.find(m, f, 2).apply(List.of(1L, 2L))).isEqualTo("two");
            assertThat(rpc.find(m, f, 3)).as("neither registered nor any-arity").isNull();

            rpc.register("calc", "f", args -> "any");
            assertThat(rpc.find(m, f, 3).apply(List.of())).as("the any-arity one").isEqualTo("any");
            assertThat(rpc.find(m, f, 1).apply(List.of(1L))).as("the exact arity first").isEqualTo("one");

            rpc.register("calc", "f", 1, args -> "uno");
            assertThat(rpc.find(m, f, 1).apply(List.of(1L))).as("replaced").isEqualTo("uno");

            assertThat(rpc.unregister("calc", "f")).isTrue();
            assertThat(rpc.find(m, f, 1)).isNull();
            assertThat(rpc.find(m, f, 3)).isNull();
            assertThat(rpc.unregister("calc", "f")).isFalse();
        }
    }
}
