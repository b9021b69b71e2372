package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.term.Pid;
import io.ergon.testkit.TestProbe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runtime's hooks for what is built on it: a terminate callback that still receives (a supervisor waits for its
 * children there), shutdown hooks that run before any process stops, an asynchronous stop a process may start, and
 * per-node extensions.
 */
class LifecycleHooksTest {

    /** Stops when told; its terminate asks a helper for a reply and reports what it got. */
    static final class AsksInTerminate extends Actor {
        private final Pid helper;
        private final Pid report;

        AsksInTerminate(Pid helper, Pid report) {
            this.helper = helper;
            this.report = report;
        }

        @Override
        protected void handleMessage(Object message) {
            stop(Reasons.SHUTDOWN);
        }

        @Override
        protected void terminate(Object reason) {
            send(helper, self());
            Object answer = receive(m -> m instanceof String s && s.startsWith("answer"), Duration.ofSeconds(5));
            send(report, "terminate got " + answer);
        }
    }

    @Test
    void terminateMayReceive() {
        try (Node node = Node.start("hooks1@localhost"); TestProbe probe = TestProbe.create(node)) {
            Pid helper = node.spawn(() -> new Actor() {
                @Override
                protected void handleMessage(Object message) {
                    send(message, "answer to " + message);
                }
            });
            Pid p = node.spawn(() -> new AsksInTerminate(helper, probe.pid()));
            Object mon = probe.mailbox().monitor(p);
            node.send(p, "stop");
            assertThat(probe.receiveMessage()).isEqualTo("terminate got answer to " + p);
            assertThat(probe.expectMessageClass(Down.class)).isEqualTo(new Down((io.ergon.term.Ref) mon, p, Reasons.SHUTDOWN));
        }
    }

    @Test
    void aKillDuringTerminateEndsItWithKilled() {
        try (Node node = Node.start("hooks2@localhost"); TestProbe probe = TestProbe.create(node)) {
            Pid p = node.spawn(() -> new Actor() {
                @Override
                protected void handleMessage(Object message) {
                    stop(Reasons.SHUTDOWN);
                }

                @Override
                protected void terminate(Object reason) {
                    send(probe.pid(), self());
                    receive(m -> false, null); // waits forever, unless killed
                }
            });
            probe.mailbox().monitor(p);
            node.send(p, "stop");
            assertThat(probe.receiveMessage()).isEqualTo(p);
            node.exit(p, Reasons.KILL);
            assertThat(probe.expectMessageClass(Down.class).reason()).isEqualTo(Reasons.KILLED);
        }
    }

    @Test
    void theNodeShutdownSignalDoesNotCutTerminateShort() {
        Node node = Node.start("hooks3@localhost");
        List<Object> seen = new CopyOnWriteArrayList<>();
        Pid p = node.spawn(() -> new Actor() {
            @Override
            protected void terminate(Object reason) {
                // still able to receive its own message while the node's shutdown signal is in flight
                send(self(), "last words");
                seen.add(receive(m -> m.equals("last words"), Duration.ofSeconds(5)));
            }
        });
        assertThat(node.isAlive(p)).isTrue();
        assertThat(node.shutdown(Duration.ofSeconds(10))).isTrue();
        assertThat(seen).containsExactly("last words");
    }

    @Test
    void shutdownHooksRunNewestFirstBeforeAnyProcessStops() {
        Node node = Node.start("hooks4@localhost");
        List<String> order = new CopyOnWriteArrayList<>();
        Pid p = node.spawn(() -> new Actor() {
            @Override
            protected void terminate(Object reason) {
                order.add("process " + reason);
            }
        });
        node.onShutdown(left -> order.add("first hook, alive=" + node.isAlive(p) + ", shutting down="
                + node.isShuttingDown()));
        node.onShutdown(left -> order.add("second hook, time left>0=" + left.isPositive()));
        node.onShutdown(left -> {
            throw new IllegalStateException("a failing hook does not stop the shutdown");
        });
        assertThat(node.shutdown(Duration.ofSeconds(10))).isTrue();
        assertThat(order).containsExactly("second hook, time left>0=true", "first hook, alive=true, shutting down=true",
                "process shutdown");
    }

    @Test
    void aProcessCanTakeItsNodeDownAsynchronously() {
        Node node = Node.start("hooks5@localhost");
        node.spawnRegister("stopper", () -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                node().shutdownAsync();
            }
        });
        node.send("stopper", "go");
        assertThat(node.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(node.isShuttingDown()).isTrue();
        assertThat(node.processCount()).isZero();
        // a later close returns at once with the same outcome
        long t0 = System.nanoTime();
        node.close();
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(node.shutdownAsync().join()).isTrue();
    }

    @Test
    void awaitTerminationTimesOutWhileTheNodeRuns() {
        try (Node node = Node.start("hooks6@localhost")) {
            assertThat(node.awaitTermination(Duration.ofMillis(50))).isFalse();
            assertThat(node.isShuttingDown()).isFalse();
        }
    }

    /** TimerRef's contract: cancel() is true only if the message will never be sent (it raced with the timer). */
    @Test
    void aTimerThatHasDeliveredCannotBeCancelled() {
        try (Node node = Node.start("hooks9@localhost"); TestProbe probe = TestProbe.create(node)) {
            for (int i = 0; i < 2000; i++) {
                TimerRef timer = node.sendAfter(probe.pid(), i, Duration.ZERO);
                assertThat(probe.receiveMessage()).isEqualTo(i);
                assertThat(timer.cancel()).as("cancel after delivery %d", i).isFalse();
                assertThat(timer.isDone()).isTrue();
            }
        }
    }

    record Service(Node node) {
    }

    @Test
    void anExtensionIsMadeOncePerNode() {
        try (Node a = Node.start("hooks7@localhost"); Node b = Node.start("hooks8@localhost")) {
            Service s1 = a.extension(Service.class, Service::new);
            Service s2 = a.extension(Service.class, n -> {
                throw new AssertionError("made twice");
            });
            assertThat(s2).isSameAs(s1);
            assertThat(b.extension(Service.class, Service::new)).isNotSameAs(s1).extracting(Service::node)
                    .isSameAs(b);
        }
    }
}
