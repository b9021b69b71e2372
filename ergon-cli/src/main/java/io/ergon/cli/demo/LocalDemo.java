package io.ergon.cli.demo;

import io.ergon.gen.GenServer;
import io.ergon.node.Actor;
import io.ergon.node.Down;
import io.ergon.node.Exit;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The first act of {@code ergon demo}: one node, a GenServer that takes a cast and answers a call, and a crash
 * that a linked process and a monitor both notice.
 */
public final class LocalDemo {
    private final PrintStream out;

    public LocalDemo(PrintStream out) {
        this.out = out;
    }

    /** A request to greet someone. */
    public record Greet(String name) {
    }

    /** Greets whoever it is called with; logs the casts it receives. */
    static final class Greeter extends GenServer {
        private final PrintStream out;
        private int greeted;

        Greeter(PrintStream out) {
            this.out = out;
        }

        @Override
        protected Object handleCall(Object request, From from) {
            if (request instanceof Greet(String name)) {
                greeted++;
                return "Hello " + name + " (greeting #" + greeted + " from " + self() + ")";
            }
            throw new IllegalArgumentException("unknown request " + request);
        }

        @Override
        protected void handleCast(Object message) {
            out.println("      greeter " + self() + " got a cast: " + message);
        }
    }

    /** Crashes on any message. */
    static final class Fragile extends Actor {
        @Override
        protected void handleMessage(Object message) {
            throw new IllegalStateException("cannot handle " + message);
        }
    }

    /** Traps exits, links to a pid it is given, and reports what it receives. */
    static final class Watcher extends Actor {
        private final Pid report;

        Watcher(Pid report) {
            this.report = report;
        }

        @Override
        protected void init() {
            trapExit(true);
        }

        @Override
        protected void handleMessage(Object message) {
            if (message instanceof Pid p) {
                link(p);
                send(report, "linked");
            } else {
                send(report, message);
            }
        }
    }

    public void run() {
        out.println("== Act 1: processes on one node ==");
        try (Node node = Node.start("demo@localhost"); Mailbox me = node.mailbox("narrator")) {
            out.println("  1. Started node " + node.name() + "; this thread talks through mailbox " + me.pid() + ".");

            Pid greeter = node.spawnRegister("greeter", () -> new Greeter(out));
            out.println("  2. Spawned a GenServer registered as 'greeter': " + greeter
                    + ". It owns no thread until a message arrives.");

            out.println("  3. Cast \"Hello Ergon!\" to 'greeter' (fire and forget):");
            node.cast("greeter", "Hello Ergon!");

            long t0 = System.nanoTime();
            String reply = node.call(greeter, new Greet("Ada"), Duration.ofSeconds(5));
            out.printf("  4. Called it with Greet(\"Ada\"); reply in %.2f ms: %s%n", (System.nanoTime() - t0) / 1e6,
                    reply);

            Pid fragile = node.spawn(Fragile::new);
            Pid watcher = node.spawn(() -> new Watcher(me.pid()));
            node.send(watcher, fragile);
            me.receive(m -> m.equals("linked"), Duration.ofSeconds(5));
            Ref monitor = me.monitor(fragile);
            out.println("  5. Spawned a fragile worker " + fragile + ", linked to watcher " + watcher
                    + " (which traps exits) and monitored by the narrator.");

            out.println("  6. Sending it a message it cannot handle... (the runtime logs the crash once, to stderr)");
            node.send(fragile, "a message it cannot handle");
            Object down = me.receive(m -> m instanceof Down d && d.ref().equals(monitor), Duration.ofSeconds(5));
            Object exit = me.receive(m -> m instanceof Exit, Duration.ofSeconds(5));
            out.println("     the watcher's link delivered: " + ((Exit) exit).toTerm());
            out.println("     the narrator's monitor delivered: " + ((Down) down).toTerm());
            out.println("     the watcher is still alive: " + node.isAlive(watcher)
                    + "; the greeter too: " + node.isAlive(greeter));
            out.println("  7. Closing the node: every process stops (GenServers run terminate).");
        }
        out.println();
    }
}
