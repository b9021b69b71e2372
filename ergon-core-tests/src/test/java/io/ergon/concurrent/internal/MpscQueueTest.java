package io.ergon.concurrent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class MpscQueueTest {
    @Test
    void emptyQueuePollsNull() {
        MpscQueue<String> q = new MpscQueue<>();
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.relaxedPoll()).isNull();
        assertThat(q.relaxedSize(10)).isZero();
    }

    @Test
    void singleThreadIsFifo() {
        MpscQueue<Integer> q = new MpscQueue<>();
        for (int i = 0; i < 5; i++) {
            q.offer(i);
        }
        assertThat(q.isEmpty()).isFalse();
        assertThat(q.relaxedSize(10)).isEqualTo(5);
        assertThat(q.relaxedSize(3)).isEqualTo(3);
        for (int i = 0; i < 5; i++) {
            assertThat(q.relaxedPoll()).isEqualTo(i);
        }
        assertThat(q.relaxedPoll()).isNull();
        assertThat(q.isEmpty()).isTrue();
        q.offer(42);
        assertThat(q.relaxedPoll()).isEqualTo(42);
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void nullItemsAreNotSupportedAsAValueButDoNotBreakTheQueue() {
        // null is the "nothing linked" answer of relaxedPoll; callers never offer it, but the links stay sound
        MpscQueue<String> q = new MpscQueue<>();
        q.offer(null);
        q.offer("a");
        assertThat(q.relaxedSize(10)).isEqualTo(2);
        assertThat(q.relaxedPoll()).isNull();
        assertThat(q.relaxedPoll()).isEqualTo("a");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void manyProducersOneConsumerLoseNothingAndKeepEachProducersOrder() throws Exception {
        int producers = 4;
        int perProducer = 200_000;
        MpscQueue<long[]> q = new MpscQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long id = p;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long i = 0; i < perProducer; i++) {
                    q.offer(new long[] {id, i});
                }
            });
            t.start();
            threads.add(t);
        }
        long[] next = new long[producers];
        int received = 0;
        start.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
        while (received < producers * perProducer) {
            long[] item = q.relaxedPoll();
            if (item == null) {
                assertThat(System.nanoTime()).as("all items arrive in time").isLessThan(deadline);
                Thread.onSpinWait();
                continue;
            }
            int p = (int) item[0];
            assertThat(item[1]).as("producer %d's next item", p).isEqualTo(next[p]);
            next[p]++;
            received++;
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(q.relaxedPoll()).as("no duplicate after the last item").isNull();
        assertThat(q.isEmpty()).isTrue();
        for (int p = 0; p < producers; p++) {
            assertThat(next[p]).isEqualTo(perProducer);
        }
    }
}
