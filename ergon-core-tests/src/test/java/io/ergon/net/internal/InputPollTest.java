package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class InputPollTest {
    /** A stream whose bytes come after a given number of looks. */
    private static final class LateStream extends InputStream {
        final AtomicInteger looks = new AtomicInteger();
        final int bytesAfter;

        LateStream(int bytesAfter) {
            this.bytesAfter = bytesAfter;
        }

        @Override
        public int available() {
            return looks.incrementAndGet() > bytesAfter ? 1 : 0;
        }

        @Override
        public int read() {
            return 0;
        }
    }

    @Test
    void bytesThatComeWithinTheWindowAreSeenWithoutBlocking() throws Exception {
        LateStream in = new LateStream(5);
        AtomicInteger handedOver = new AtomicInteger();
        assertThat(new InputPoll(1).awaitInput(in, handedOver::incrementAndGet)).isTrue();
        assertThat(in.looks.get()).isEqualTo(6);
        assertThat(handedOver.get()).as("the reader's wake-ups go out before it polls").isEqualTo(1);
    }

    @Test
    void withNothingToReadItGivesUpAfterTheWindow() throws Exception {
        LateStream in = new LateStream(Integer.MAX_VALUE);
        long t0 = System.nanoTime();
        assertThat(new InputPoll(1).awaitInput(in, () -> { })).isFalse();
        long took = System.nanoTime() - t0;
        assertThat(took).isGreaterThanOrEqualTo(InputPoll.WINDOW_NANOS);
        assertThat(in.looks.get()).isGreaterThan(1);
    }

    @Test
    @Timeout(10)
    void noMoreReadersPollThanAllowedAndTheOthersBlockAtOnce() throws Exception {
        InputPoll poll = new InputPoll(1);
        CountDownLatch polling = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InputStream held = new InputStream() {
            @Override
            public int available() throws java.io.IOException {
                polling.countDown();
                try {
                    return release.await(5, TimeUnit.SECONDS) ? 1 : 0;
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            }

            @Override
            public int read() {
                return 0;
            }
        };
        Thread first = Thread.ofPlatform().start(() -> {
            try {
                poll.awaitInput(held, () -> { });
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(polling.await(5, TimeUnit.SECONDS)).isTrue();
        LateStream second = new LateStream(0);
        AtomicInteger handedOver = new AtomicInteger();
        assertThat(poll.awaitInput(second, handedOver::incrementAndGet)).isFalse();
        assertThat(second.looks.get()).as("the second reader does not look").isZero();
        assertThat(handedOver.get()).as("nor hands over (its blocking read hands over instead)").isZero();
        release.countDown();
        first.join();
        assertThat(poll.awaitInput(second, () -> { })).as("once the first is done, the next may poll").isTrue();
    }

    @Test
    void aNegativeLimitIsRefused() {
        assertThatThrownBy(() -> new InputPoll(-1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("maxPolling");
    }
}
