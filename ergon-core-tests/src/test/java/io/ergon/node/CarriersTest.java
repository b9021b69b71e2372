package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.gen.GenServer;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
