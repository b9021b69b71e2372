package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Actor;
import io.ergon.node.From;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many callers blocking in calls at once make the scheduler hand its run queue over, wake idle workers, start and
 * retire others, thousands of times a second. No call may stall: each has a 5 s timeout, which a lost wake-up turns
 * into a failure. (The one such race found so far, a worker whose park permit was used up inside a lock, showed in
 * the benchmark suite's 2M-call runs, about once in five; this test is a smaller guard, not a reproducer.)
 */
class CallStressTest {
    private static final class Echo extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return request;
        }
    }

    @Test
    void manyCallersOnFewWorkersAllFinish() throws Exception {
        for (int parallelism : new int[] {1, 2}) {
            try (Node node = Node.start("call_stress@localhost", NodeOptions.defaults().parallelism(parallelism))) {
                List<Pid> servers = List.of(node.spawn(Echo::new), node.spawn(Echo::new));
                int callers = 50;
                int calls = 2_000;
                CountDownLatch done = new CountDownLatch(callers);
                AtomicInteger answered = new AtomicInteger();
                AtomicInteger failed = new AtomicInteger();
                List<Pid> pids = new ArrayList<>();
                for (int c = 0; c < callers; c++) {
                    Pid server = servers.get(c % 2);
                    pids.add(node.spawn(() -> new Actor() {
                        @Override
                        protected void handleMessage(Object message) {
                            try {
                                for (int i = 0; i < calls; i++) {
                                    if (Integer.valueOf(i).equals(call(server, i, Duration.ofSeconds(5)))) {
                                        answered.incrementAndGet();
                                    }
                                }
                            } catch (RuntimeException e) {
                                failed.incrementAndGet();
                            }
                            done.countDown();
                            stop(Reasons.NORMAL);
                        }
                    }));
                }
                pids.forEach(p -> node.send(p, "go"));
                assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
                assertThat(failed.get()).isZero();
                assertThat(answered.get()).isEqualTo(callers * calls);
            }
        }
    }
}
