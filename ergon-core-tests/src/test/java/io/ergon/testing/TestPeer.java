package io.ergon.testing;

import io.ergon.etf.RecordRegistry;
import io.ergon.net.Rpc;
import io.ergon.node.Node;
import java.util.function.Consumer;

/**
 * What the tests between separate Ergon JVMs find on the peer node: the setup of a
 * {@link io.ergon.testkit.TestCluster#ergonJvm} child ({@code cluster.ergonJvm("b", TestPeer.class)}), and part of
 * what a multi-host test's node serves.
 */
public final class TestPeer implements Consumer<Node> {
    @Override
    public void accept(Node node) {
        RecordRegistry.global().register(TestAgent.Greeting.class);
        serve(node);
    }

    /**
     * Registers what the tests between JVMs use on {@code node}: {@code echo} ({@link TestAgent.Echo}),
     * {@code agent} ({@link TestAgent}), the rpc functions {@code ft:add/2} and {@code ft:fail/0}, and spawns of
     * {@code ft:proc} ({@link TestProc}).
     */
    public static void serve(Node node) {
        node.spawnRegister("echo", TestAgent.Echo::new);
        node.spawnRegister("agent", TestAgent::new);
        Rpc.of(node).register("ft", "add", 2, a -> (Long) a.get(0) + (Long) a.get(1))
                .register("ft", "fail", a -> {
                    throw new IllegalStateException("failed on purpose");
                })
                .allowSpawn("ft", "proc", TestProc::fromArgs);
    }
}
