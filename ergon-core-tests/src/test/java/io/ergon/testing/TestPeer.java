package io.ergon.testing;

import io.ergon.net.Rpc;
import io.ergon.etf.RecordRegistry;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.testkit.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;

/**
 * A node in a JVM of its own, for tests between separate Ergon JVMs: {@code RemoteNodeMain NAME COOKIE EPMD_PORT}
 * starts a distributed node with {@code echo} and {@code agent} ({@link TestAgent}) registered, prints
 * {@code READY}, and runs until its stdin closes.
 */
public final class RemoteNodeMain {
    private RemoteNodeMain() {
    }

    public static void main(String[] args) throws IOException {
        RecordRegistry.global().register(TestAgent.Greeting.class);
        NodeOptions options = NodeOptions.defaults().distributed(true).cookie(args[1])
                .epmdPort(Integer.parseInt(args[2])).listenAddress(InetAddress.getLoopbackAddress());
        try (Node node = Node.start(args[0], options)) {
            serve(node);
            System.out.println("READY " + node.name());
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until the parent closes our stdin
            }
        }
        System.exit(0);
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

    /** Starts one in a child JVM and waits for it to be ready; the caller stops it with {@link Process#destroy()}. */
    public static Process launch(String name, String cookie, int epmdPort) throws IOException {
        return ChildJvm.start(RemoteNodeMain.class, Duration.ofSeconds(30), name, cookie, Integer.toString(epmdPort))
                .process();
    }
}
