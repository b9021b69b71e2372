package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.term.Pid;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's next slot: a process woken from an activation runs on that worker right after it, but never waits
 * for a long activation to end, nor for a blocked one.
 */
class SchedulerSlotTest {
    @Test
    void aProcessWokenByALongBusyHandlerRunsOnAnotherWorkerMeanwhile() throws Exception {
        try (Node node = Node.start("slot_busy@localhost", NodeOptions.defaults().parallelism(2));
             Probe probe = new Probe(node)) {
            CountDownLatch release = new CountDownLatch(1);
            Pid echo = node.spawn(() -> new Actors.Forwarder(probe.pid()));
            Pid busy = node.spawn(() -> new Actor() {
                @Override
                protected void handleMessage(Object message) {
                    send(echo, "woken");
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (release.getCount() > 0 && System.nanoTime() < end) {
                        Thread.onSpinWait(); // busy, never blocking: the slot's process must be taken from us
                    }
                }
            });
            node.send(busy, "go");
            assertThat(probe.next()).isEqualTo("woken");
            release.countDown();
        }
    }

    @Test
    void aProcessWokenByAHandlerThatThenBlocksRunsAtOnce() throws Exception {
        try (Node node = Node.start("slot_block@localhost", NodeOptions.defaults().parallelism(1));
             Probe probe = new Probe(node)) {
            Pid echo = node.spawn(() -> new Actors.Forwarder(probe.pid()));
            Pid waiter = node.spawn(() -> new Actor() {
                @Override
                protected void handleMessage(Object message) {
                    send(echo, "woken");
                    Object answer = receive(m -> m.equals("never"), java.time.Duration.ofSeconds(2));
                    send(probe.pid(), answer == null ? "timed out" : answer);
                }
            });
            node.send(waiter, "go");
            long t0 = System.nanoTime();
            assertThat(probe.next()).isEqualTo("woken");
            // one worker: only the hand-over on blocking (not the monitor's tick, nor the timeout) lets echo run
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.MILLISECONDS.toNanos(1500));
            assertThat(probe.next()).isEqualTo("timed out");
        }
    }

    @Test
    void twoProcessesPlayingPingPongDoNotStarveTheRunQueue() throws Exception {
        try (Node node = Node.start("slot_fair@localhost", NodeOptions.defaults().parallelism(1));
             Probe probe = new Probe(node)) {
            CountDownLatch stop = new CountDownLatch(1);
            Pid[] pair = new Pid[2];
            for (int i = 0; i < 2; i++) {
                int other = 1 - i;
                pair[i] = node.spawn(() -> new Actor() {
                    @Override
                    protected void handleMessage(Object message) {
                        if (stop.getCount() > 0) {
                            send(pair[other], message);
                        }
                    }
                });
            }
            node.send(pair[0], "ball");
            Pid quick = node.spawn(() -> new Actors.Forwarder(probe.pid()));
            node.send(quick, "me too");
            assertThat(probe.next()).isEqualTo("me too");
            stop.countDown();
        }
    }
}
