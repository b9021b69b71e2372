package io.ergon.examples.readme;

import io.ergon.node.Actor;
import io.ergon.node.Node;
import io.ergon.term.Pid;

public final class HelloErgon {
    public static void main(String[] args) {
        try (Node node = Node.start("demo@localhost")) {          // closing stops every process gracefully
            Pid logger = node.spawn(Logger::new);                  // init() has run when spawn returns
            node.send(logger, "hello");                            // to a pid, a registered name or a Name
        }
    }
}

final class Logger extends Actor {
    @Override protected void handleMessage(Object message) {
        log().info("{} received {}", self(), message);
    }
}
