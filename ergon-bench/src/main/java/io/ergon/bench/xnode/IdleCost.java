package io.ergon.bench.xnode;

import io.ergon.node.Actor;
import io.ergon.node.Node;
import java.lang.management.ManagementFactory;

/**
 * The measured node of the suite's idle-cost row on Ergon, the twin of {@code bench/erlang/xnode.escript idle}: a
 * distributed node with {@code COUNT} idle processes (each waits for a message it never gets) and one idle connection
 * to {@code PEER} (a second node, made by a ping). Prints {@code READY node} and then does nothing until its standard
 * input closes; bench/run.sh meanwhile reads this JVM's CPU time from /proc/PID/stat, as it does for the beam. At the
 * end it prints {@code RESULT|idle.jthreads|ergon|threads|N}, the live platform threads of the JVM (ThreadMXBean).
 * Usage: {@code IdleCost NAME COOKIE EPMD_PORT PEER COUNT}.
 */
public final class IdleCost {
    private IdleCost() {
    }

    public static void main(String[] args) throws Exception {
        String peer = args[3];
        int count = Integer.parseInt(args[4]);
        try (Node node = Xnode.start(args[0], args[1], Integer.parseInt(args[2]))) {
            for (int i = 0; i < count; i++) {
                node.spawn(Idle::new);
            }
            if (!node.ping(peer)) {
                throw new IllegalStateException("no pong from " + peer);
            }
            if (node.processCount() < count) {
                throw new IllegalStateException("only " + node.processCount() + " processes alive");
            }
            System.out.println("READY " + node.name());
            System.out.flush();
            while (System.in.read() >= 0) {
                // idle until the driver closes our standard input
            }
            System.out.println("RESULT|idle.jthreads|ergon|threads|"
                    + ManagementFactory.getThreadMXBean().getThreadCount());
            System.out.flush();
        }
        System.exit(0);
    }

    /** Waits for a message it never gets. */
    private static final class Idle extends Actor {
        @Override
        protected void handleMessage(Object message) {
        }
    }
}
