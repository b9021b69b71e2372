package io.ergon.examples;

import io.ergon.node.Actor;
import io.ergon.node.Node;
import io.ergon.term.Pid;
import java.util.List;

/**
 * Ergo's first example, in Java: an actor that logs what it receives. Run it with {@code ./ergon example
 * simple-actor}.
 *
 * <p>The actor greets itself from {@code init} (which runs before {@code spawn} returns), logs every message it
 * handles, one at a time, and logs its end when the node shuts down. It owns no thread while it waits.
 */
public final class SimpleActor extends Actor {
    @Override
    protected void init() {
        log().info("started process {}", self());
        send(self(), "hello");
    }

    @Override
    protected void handleMessage(Object message) {
        log().info("{} got message: {}", self(), message);
    }

    @Override
    protected void terminate(Object reason) {
        log().info("{} terminated: {}", self(), reason);
    }

    /** Starts a node, spawns the actor, sends it a few messages and stops the node. */
    public static void main(String[] args) {
        run();
    }

    /** The example's body; the messages are handled before the node stops, since they were queued first. */
    public static void run() {
        try (Node node = Node.start("example@localhost")) {
            Pid pid = node.spawnRegister("my_actor", SimpleActor::new);
            node.send(pid, "Hello, World!");
            node.send("my_actor", List.of(1, 2, 3));
            node.send("my_actor", new Greeting("Ada", 36));
        }
    }

    /** A message is any value; records make good ones. */
    public record Greeting(String name, int age) {
    }
}
