package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OutQueueTest {
    private static OutFrame frame(int n) {
        return new OutFrame(new byte[] {(byte) n}, 1);
    }

    @Test
    void framesComeOutInOrder() {
        OutQueue q = new OutQueue(LockSupport::unpark);
        assertThat(q.poll()).isNull();
        OutFrame a = frame(1);
        OutFrame b = frame(2);
        q.offer(a);
        q.offer(OutFrame.TICK);
        q.offer(b);
        assertThat(q.poll()).isSameAs(a);
        assertThat(q.poll()).isSameAs(OutFrame.TICK);
        assertThat(q.poll()).isSameAs(b);
        assertThat(q.poll()).isNull();
    }

    @Test
    void awaitReturnsAtOnceWhenAFrameIsQueued() {
        OutQueue q = new OutQueue(LockSupport::unpark);
        q.offer(frame(1));
        q.await();
        assertThat(q.poll()).isNotNull();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aParkedWriterWakesForEachOfferAndSeesEveryFrameInOrder() throws Exception {
        OutQueue q = new OutQueue(LockSupport::unpark);
        int count = 2_000;
        List<Integer> seen = new ArrayList<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            while (seen.size() < count) {
                OutFrame f = q.poll();
                if (f == null) {
                    q.await();
                } else {
                    seen.add((int) f.data()[0] & 0xff | (f.controlLength() << 8));
                }
            }
        });
        for (int i = 0; i < count; i++) {
            q.offer(new OutFrame(new byte[] {(byte) i}, i >> 8));
            if (i % 100 == 0) {
                Thread.sleep(1); // let the writer go to sleep now and then
            }
        }
        writer.join();
        for (int i = 0; i < count; i++) {
            assertThat(seen.get(i)).isEqualTo(i & 0xff | ((i >> 8) << 8));
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void wakeReleasesAWriterWaitingOnAnEmptyQueue() throws Exception {
        OutQueue q = new OutQueue(LockSupport::unpark);
        Thread writer = Thread.ofVirtual().start(q::await);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .until(() -> writer.getState() == Thread.State.WAITING);
        q.wake();
        writer.join();
        assertThat(q.poll()).isNull();
    }
}
