package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.term.Pid;
import io.ergon.testkit.TestProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Ordering, scheduling, timers, mailboxes and shutdown. */
class RuntimeTest {

    @Test
    void oneHundredThousandMessagesFromOneSenderArriveInOrder() {
        try (Node node = Node.start("order@localhost"); TestProbe probe = TestProbe.create(node)) {
            int n = 100_000;
            Pid receiver = node.spawn(() -> new Actor() {
                private int expected;

                @Override
                protected void handleMessage(Object message) {
                    if ((Integer) message != expected) {
                        send(probe.pid(), "out of order at " + expected + ": " + message);
                        stop(Reasons.NORMAL);
                    } else if (++expected == n) {
                        send(probe.pid(), "all " + n + " in order");
                    }
                }
            });
            Pid sender = node.spawn(() -> new Actor() {
                @Override
                protected void handleMessage(Object message) {
                    for (int i = 0; i < n; i++) {
                        send(receiver, i);
                    }
                }
            });
            node.send(sender, "go");
            assertThat(probe.receiveMessage()).isEqualTo("all " + n + " in order");
        }
    }

    @Test
    void manySendersKeepTheirOwnOrder() {
        try (Node node = Node.start("order4@localhost"); TestProbe probe = TestProbe.create(node)) {
            int senders = 4;
            int each = 25_000;
            Pid receiver = node.spawn(() -> new Actor() {
                private final int[] next = new int[senders];
                private int total;

                @Override
                protected void handleMessage(Object message) {
                    int[] m = (int[]) message;
                    if (next[m[0]] != m[1]) {
                        send(probe.pid(), "sender " + m[0] + " out of order");
                    }
                    next[m[0]] = m[1] + 1;
                    if (++total == senders * each) {
                        send(probe.pid(), "done");
                    }
                }
            });
            for (int s = 0; s < senders; s++) {
                int id = s;
                Pid sender = node.spawn(() -> new Actor() {
                    @Override
                    protected void handleMessage(Object message) {
                        for (int i = 0; i < each; i++) {
                            send(receiver, new int[] {id, i});
                        }
                    }
                });
                node.send(sender, "go");
            }
            assertThat(probe.receiveMessage()).isEqualTo("done");
        }
    }

    @Test
    void oneHundredThousandProcessesAllTerminateOnShutdown() {
        Node node = Node.start("many@localhost");
        AtomicInteger terminated = new AtomicInteger();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            node.spawn(() -> new Actor() {
                @Override
                protected void terminate(Object reason) {
                    if (reason == Reasons.SHUTDOWN) {
                        terminated.incrementAndGet();
                    }
                }
            });
        }
        assertThat(node.processCount()).isEqualTo(n);
        assertThat(node.shutdown(Duration.ofSeconds(30))).isTrue();
        assertThat(terminated.get()).isEqualTo(n);
        assertThat(node.processCount()).isZero();
    }

    @Test
    void shutdownAbandonsProcessesThatOutliveTheDeadline() throws Exception {
        Node node = Node.start("stuck@localhost");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        Pid stuck = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) throws InterruptedException {
                blocked.countDown();
                release.await();
            }
        });
        node.send(stuck, "block");
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        assertThat(node.shutdown(Duration.ofMillis(300))).isFalse(); // returns: the suite's default timeout guards a hang
        assertThat(System.nanoTime() - t0).as("it waited out the deadline").isGreaterThanOrEqualTo(
                TimeUnit.MILLISECONDS.toNanos(300));
        release.countDown();
    }

    @Test
    void idleProcessesHoldNoThread() {
        try (Node node = Node.start("idle@localhost", NodeOptions.defaults().parallelism(2));
             TestProbe probe = TestProbe.create(node)) {
            int n = 10_000;
            List<Pid> pids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                pids.add(node.spawn(() -> new Actors.Forwarder(probe.pid())));
            }
            for (Pid p : pids) {
                node.send(p, "ping");
            }
            for (int i = 0; i < n; i++) {
                probe.receiveMessage();
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> pids.stream().allMatch(p -> node.info(p).status() == ProcessStatus.IDLE));
            // platform threads: only the node's timer, its scheduler monitor and a carrier per scheduler slot (the
            // workers' own carriers, where the JVM allows them); no thread per process. Awaited, not sampled: an
            // extra carrier that a busy moment started (beside CPU hogs, say) rests for up to a second before it ends
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(Thread.getAllStackTraces().keySet().stream()
                            .filter(t -> t.getName().contains("idle@localhost")).count()).isLessThanOrEqualTo(2 + 2));
        }
    }

    @Test
    void aHandlerBlockedOutsideErgonDoesNotStopOtherProcesses() throws Exception {
        // one worker only: the blocked handler holds it, and the scheduler must make up for it
        try (Node node = Node.start("blocking@localhost", NodeOptions.defaults().parallelism(1));
             TestProbe probe = TestProbe.create(node)) {
            CountDownLatch release = new CountDownLatch(1);
            Pid blocker = node.spawn(() -> new Actor() {
                @Override
                protected void handleMessage(Object message) throws InterruptedException {
                    release.await();
                    send(probe.pid(), "released");
                }
            });
            Pid echo = node.spawn(() -> new Actors.Forwarder(probe.pid()));
            node.send(blocker, "block");
            for (int i = 0; i < 100; i++) {
                node.send(echo, i);
            }
            for (int i = 0; i < 100; i++) {
                assertThat(probe.receiveMessage()).isEqualTo(i);
            }
            release.countDown();
            assertThat(probe.receiveMessage()).isEqualTo("released");
        }
    }

    @Test
    void aFloodedProcessDoesNotStarveOthers() {
        try (Node node = Node.start("fair@localhost", NodeOptions.defaults().parallelism(1));
             TestProbe probe = TestProbe.create(node)) {
            AtomicInteger handled = new AtomicInteger();
            Pid busy = node.spawn(() -> new Actor() {
                private long sink;

                @Override
                protected void handleMessage(Object message) {
                    for (int i = 0; i < 20_000; i++) { // about ten microseconds of work per message
                        sink = sink * 31 + i;
                    }
                    handled.incrementAndGet();
                }
            });
            Pid quick = node.spawn(() -> new Actors.Forwarder(probe.pid()));
            // some two seconds of work queued ahead of the quick process
            int flood = 200_000;
            for (int i = 0; i < flood; i++) {
                node.send(busy, i);
            }
            node.send(quick, "me too");
            assertThat(probe.receiveMessage()).isEqualTo("me too");
            // batches per activation: the quick process ran long before the flood was drained
            assertThat(handled.get()).isLessThan(flood);
        }
    }

    @Test
    void sendAfterDeliversAndCancelPreventsIt() {
        try (Node node = Node.start("timers@localhost"); TestProbe probe = TestProbe.create(node)) {
            long t0 = System.nanoTime();
            node.sendAfter(probe.pid(), "later", Duration.ofMillis(100));
            TimerRef cancelled = node.sendAfter(probe.pid(), "never", Duration.ofMillis(150));
            assertThat(cancelled.cancel()).isTrue();
            assertThat(probe.receiveMessage()).isEqualTo("later");
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
            probe.expectNoMessage(Duration.ofMillis(200));
            TimerRef fired = node.sendAfter(probe.pid(), "fired", Duration.ZERO);
            assertThat(probe.receiveMessage()).isEqualTo("fired");
            assertThat(fired.cancel()).isFalse();
        }
    }

    @Test
    void aProcessCanSetTimersForItself() {
        try (Node node = Node.start("selftimer@localhost"); TestProbe probe = TestProbe.create(node)) {
            node.spawn(() -> new Actor() {
                private int ticks;

                @Override
                protected void init() {
                    sendAfter(self(), "tick", Duration.ofMillis(10));
                }

                @Override
                protected void handleMessage(Object message) {
                    if (++ticks < 3) {
                        sendAfter(self(), "tick", Duration.ofMillis(10));
                    } else {
                        send(probe.pid(), "three ticks");
                    }
                }
            });
            assertThat(probe.receiveMessage()).isEqualTo("three ticks");
        }
    }

    @Test
    void mailboxSelectiveReceiveKeepsTheOthersInOrder() {
        try (Node node = Node.start("mbox@localhost"); Mailbox box = node.mailbox("box")) {
            for (int i = 0; i < 10; i++) {
                node.send("box", i);
            }
            assertThat(box.receive(m -> m.equals(7), Duration.ofSeconds(1))).isEqualTo(7);
            assertThat(box.receive(m -> m.equals(3), Duration.ofSeconds(1))).isEqualTo(3);
            List<Object> rest = new ArrayList<>();
            Object m;
            while ((m = box.receive(Duration.ZERO)) != null) {
                rest.add(m);
            }
            assertThat(rest).containsExactly(0, 1, 2, 4, 5, 6, 8, 9);
            long t0 = System.nanoTime();
            assertThat(box.receive(m2 -> true, Duration.ofMillis(50))).isNull();
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Test
    void aMailboxBlockedInReceiveWakesForAMessageFromAnotherThread() throws Exception {
        try (Node node = Node.start("mbox2@localhost"); Mailbox box = node.mailbox()) {
            Thread.ofVirtual().start(() -> {
                // once the box's thread is blocked in its receive
                while (node.info(box.pid()).status() != ProcessStatus.WAITING) {
                    Thread.onSpinWait();
                }
                node.send(box.pid(), "wake up");
            });
            assertThat(box.receive(Duration.ofSeconds(5))).isEqualTo("wake up");
        }
    }

    @Test
    void anExitSignalClosesANonTrappingMailbox() {
        try (Node node = Node.start("mbox3@localhost")) {
            Mailbox box = node.mailbox();
            Pid killer = node.spawn(() -> new Actor() {
                @Override
                protected void handleMessage(Object message) {
                    exit((Pid) message, Reasons.SHUTDOWN);
                }
            });
            node.send(killer, box.pid());
            assertThatThrownBy(() -> box.receive(Duration.ofSeconds(5))).isInstanceOf(ExitException.class)
                    .satisfies(e -> assertThat(((ExitException) e).reason()).isEqualTo(Reasons.SHUTDOWN));
            assertThat(box.isClosed()).isTrue();
            assertThat(node.isAlive(box.pid())).isFalse();
        }
    }

    @Test
    void closingAMailboxSignalsItsLinks() {
        try (Node node = Node.start("mbox4@localhost"); TestProbe probe = TestProbe.create(node)) {
            Mailbox box = node.mailbox();
            probe.mailbox().trapExit(true);
            probe.mailbox().link(box.pid());
            box.close(Reasons.shutdown("done"));
            assertThat(probe.receiveMessage()).isEqualTo(new Exit(box.pid(), Reasons.shutdown("done")));
        }
    }
}
