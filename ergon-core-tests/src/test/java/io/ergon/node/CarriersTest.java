package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.concurrent.internal.MachineLoad;
import io.ergon.gen.GenServer;
import io.ergon.term.Pid;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A node's own carrier threads: handlers that hold theirs for a while make the node start more, which end again
 * once they are not needed, and no process waiting to run is lost on the way (a worker handed to a carrier that then
 * ended was once stranded there, and its process's calls timed out).
 */
class CarriersTest {
    private static final String NODE = "carriers@localhost";

    @Test
    void extraCarriersComeForSpinningHandlersAndGoAwayWithoutLosingWork() throws Exception {
        try (Node node = Node.start(NODE, NodeOptions.defaults().parallelism(2))) {
            Pid echo = node.spawn(Echo::new);
            for (int round = 0; round < 5; round++) {
                // four handlers that hold their carriers for 30 ms: the node starts extra carriers for the rest
                CountDownLatch spun = new CountDownLatch(4);
                for (int i = 0; i < 4; i++) {
                    Pid spinner = node.spawn(() -> new Actor() {
                        @Override
                        protected void handleMessage(Object message) {
                            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
                            while (System.nanoTime() < end) {
                                Thread.onSpinWait();
                            }
                            spun.countDown();
                        }
                    });
                    node.send(spinner, "spin");
                }
                // meanwhile and after, 50 processes call the echo server; every call must be answered
                int clients = 50;
                int calls = 400;
                CountDownLatch done = new CountDownLatch(clients);
                AtomicLong answered = new AtomicLong();
                for (int c = 0; c < clients; c++) {
                    Pid client = node.spawn(() -> new Actor() {
                        @Override
                        protected void handleMessage(Object message) {
                            for (int i = 0; i < calls; i++) {
                                if (Integer.valueOf(i).equals(call(echo, i, Duration.ofSeconds(10)))) {
                                    answered.incrementAndGet();
                                }
                            }
                            done.countDown();
                        }
                    });
                    node.send(client, "go");
                }
                assertThat(spun.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(done.await(30, TimeUnit.SECONDS)).as("round %d: every client finished", round).isTrue();
                assertThat(answered.get()).isEqualTo((long) clients * calls);
            }
            // with nothing holding a carrier any more, the extra ones end (within a second of idleness)
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> carriers() <= 2);
        }
    }

    @Test
    void aBusyHighPriorityProcessDoesNotStartACarrierAtEveryTick() throws Exception {
        // a supervisor under a TCP server's connections: high priority, a message or two per connection, from
        // processes that keep both carriers busy with short activations (not stuck ones)
        try (Node node = Node.start("carriers_urgent@localhost", NodeOptions.defaults().parallelism(2))) {
            AtomicLong handled = new AtomicLong();
            Pid urgent = node.spawn(() -> new Actor() {
                @Override
                protected boolean highPriority() {
                    return true;
                }

                @Override
                protected void handleMessage(Object message) {
                    handled.incrementAndGet();
                }
            });
            int senders = 4;
            CountDownLatch done = new CountDownLatch(senders);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            long threadsBefore = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
            for (int i = 0; i < senders; i++) {
                Pid sender = node.spawn(() -> new Actor() {
                    private int sent;

                    @Override
                    protected void handleMessage(Object message) {
                        // one short activation per message, as a connection's handler has
                        send(urgent, sent);
                        long end = System.nanoTime() + 20_000;
                        while (System.nanoTime() < end) {
                            Thread.onSpinWait();
                        }
                        if (++sent < 1_000_000 && System.nanoTime() < until) {
                            send(self(), "next");
                        } else {
                            done.countDown();
                        }
                    }
                });
                node.send(sender, "go");
            }
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - threadsBefore;
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() > 0);
            // a carrier starts for it only once it waited a whole tick; before, every tick that saw it queued
            // started one (some 200 a second here), which ended after a single task
            assertThat(started).as("threads started in 500 ms, %d messages handled", handled.get()).isLessThan(50);
        }
    }

    @Test
    void idleCarriersAndWorkersDoNotSpinWhereTheCpusAreContended() throws Exception {
        long spinning = carrierCpuNanosUnderSparseMessages("carriers_spin@localhost", false);
        long parking = carrierCpuNanosUnderSparseMessages("carriers_park@localhost", true);
        // a message every 200 us: spinning after each costs the carriers some 30 us of CPU more than parking
        assertThat(parking).as("carrier CPU with spins %d ns, without %d ns", spinning, parking)
                .isLessThan(spinning * 3 / 4);
    }

    /** The CPU time of a node's carriers while a plain thread sends a message every 200 us for 300 ms. */
    private static long carrierCpuNanosUnderSparseMessages(String name, boolean contended) throws Exception {
        MachineLoad.assume(contended);
        try (Node node = Node.start(name, NodeOptions.defaults().parallelism(2))) {
            AtomicLong received = new AtomicLong();
            Pid sink = node.spawn(() -> new Actor() {
                @Override
                protected void handleMessage(Object message) {
                    received.incrementAndGet();
                }
            });
            node.send(sink, "warm");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 1);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long before = carrierCpuNanos(threads, name);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            for (int i = 0; i < 10_000 && System.nanoTime() < until; i++) {
                node.send(sink, i);
                LockSupport.parkNanos(200_000); // the pace of the messages, not a wait for anything
            }
            return carrierCpuNanos(threads, name) - before;
        } finally {
            MachineLoad.assume(null);
        }
    }

    private static long carrierCpuNanos(ThreadMXBean threads, String node) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("ergon-" + node + "-carrier-")) {
                sum += Math.max(0, threads.getThreadCpuTime(t.threadId()));
            }
        }
        return sum;
    }

    private static long carriers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("ergon-" + NODE + "-carrier-")).count();
    }

    static final class Echo extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return request;
        }
    }
}
