package io.ergon.examples;

import io.ergon.gen.ChildSpec;
import io.ergon.gen.GenServer;
import io.ergon.gen.Restart;
import io.ergon.gen.Strategy;
import io.ergon.gen.Supervisor;
import io.ergon.node.Down;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.time.Duration;

/**
 * Ergo's supervision example, in Java: a supervisor keeps a worker alive; the worker crashes on a message and the
 * supervisor restarts it, which the log shows. Run it with {@code ./ergon example supervised-worker}.
 *
 * <p>The worker is registered as {@code faulty} each time it starts, so the sender need not know its new pid. The
 * supervisor allows 5 restarts in 5 seconds; one more and it would give up (and exit with {@code shutdown}).
 */
public final class SupervisedWorker extends GenServer {
    /** The message that makes the worker crash. */
    public static final String CRASH = "crash";

    @Override
    protected void init() {
        log().info("worker {} started", self());
    }

    @Override
    protected void handleInfo(Object message) {
        if (CRASH.equals(message)) {
            log().warn("worker {} got '{}': crashing", self(), message);
            throw new IllegalStateException("worker asked to crash");
        }
        log().info("worker {} got message: {}", self(), message);
    }

    public static void main(String[] args) {
        run();
    }

    /**
     * Starts the supervisor, sends the worker a message, makes it crash, waits for its replacement and sends that one
     * a message too.
     *
     * @return the pids of the first worker and of its replacement
     */
    public static Pid[] run() {
        try (Node node = Node.start("example@localhost"); Mailbox me = node.mailbox()) {
            Supervisor.start(node, "faulty_sup", Supervisor.spec(Strategy.ONE_FOR_ONE)
                    .intensity(5, Duration.ofSeconds(5))
                    .child(ChildSpec.worker("faulty", SupervisedWorker::new).restart(Restart.PERMANENT)
                            .register("faulty")));
            Pid first = node.whereis("faulty");
            node.send("faulty", "Hello!");

            Ref monitor = me.monitor(first);
            node.send("faulty", CRASH);
            me.receive(m -> m instanceof Down d && d.ref().equals(monitor), Duration.ofSeconds(5));
            Pid second = awaitRestart(node, first);

            node.send("faulty", "Hello again!");
            return new Pid[] {first, second};
        }
    }

    /** Waits until the supervisor has registered a new worker under the name. */
    private static Pid awaitRestart(Node node, Pid old) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        try (Mailbox waiter = node.mailbox()) {
            while (System.nanoTime() < deadline) {
                Pid now = node.whereis("faulty");
                if (now != null && !now.equals(old)) {
                    return now;
                }
                waiter.receive(m -> false, Duration.ofMillis(5));
            }
        }
        throw new IllegalStateException("the worker was not restarted within 5 seconds");
    }
}
