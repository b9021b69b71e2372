package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.concurrent.internal.MachineLoad;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollOddsTest {
    /** How many of the next {@code n} chances to look a reader with {@code odds} takes. */
    private static int looksOf(PollOdds odds, int n) {
        int looks = 0;
        for (int i = 0; i < n; i++) {
            if (odds.worthLooking()) {
                looks++;
            }
        }
        return looks;
    }

    /** Odds after {@code n} looks in a row that found nothing. */
    private static PollOdds afterMisses(int n) {
        PollOdds odds = new PollOdds(() -> true);
        for (int i = 0; i < n; i++) {
            odds.looked(false);
        }
        return odds;
    }

    @Test
    void onAMachineWithIdleCpusLookingThatFindsNothingGoesOn() {
        PollOdds odds = new PollOdds(() -> false);
        for (int i = 0; i < 20; i++) {
            odds.looked(false);
        }
        assertThat(looksOf(odds, 50)).isEqualTo(50);
    }

    @Test
    void theMachinesCpuPressureReadsAsAShare() {
        double p = MachineLoad.pressure();
        assertThat(p).isBetween(0.0, 100.0);
    }

    @Test
    void aNewReaderLooksEveryTime() {
        PollOdds odds = new PollOdds(() -> true);
        assertThat(looksOf(odds, 100)).isEqualTo(100);
    }

    @Test
    void lookingThatFindsNothingStopsButForProbes() {
        PollOdds odds = afterMisses(20);
        assertThat(odds.paying()).isFalse();
        assertThat(looksOf(odds, 10 * PollOdds.PROBE_EVERY)).isEqualTo(10);
    }

    @Test
    void lookingThatFindsInputOftenEnoughGoesOn() {
        PollOdds odds = new PollOdds(() -> true);
        for (int i = 0; i < 200; i++) {
            odds.looked(i % 3 != 0); // two in three find input
        }
        assertThat(odds.paying()).isTrue();
        assertThat(looksOf(odds, 50)).isEqualTo(50);
    }

    @Test
    void probesThatFindInputAgainBringLookingBack() {
        PollOdds odds = afterMisses(20);
        int chances = 0;
        while (!odds.paying() && chances < 1000) {
            chances++;
            if (odds.worthLooking()) {
                odds.looked(true);
            }
        }
        assertThat(odds.paying()).isTrue();
        assertThat(chances).as("a few probes, each PROBE_EVERY chances apart").isLessThanOrEqualTo(10 * PollOdds.PROBE_EVERY);
    }

    @Test
    void aReaderWhoseLooksDoNotPayBlocksAtOnceWithoutHandingOverOrLooking() throws Exception {
        PollOdds odds = afterMisses(20);
        AtomicInteger looks = new AtomicInteger();
        AtomicInteger handedOver = new AtomicInteger();
        InputStream ready = new InputStream() {
            @Override
            public int available() {
                looks.incrementAndGet();
                return 1;
            }

            @Override
            public int read() {
                return 0;
            }
        };
        InputPoll poll = new InputPoll(1);
        assertThat(poll.awaitInput(ready, odds, handedOver::incrementAndGet)).isFalse();
        assertThat(looks.get()).isZero();
        assertThat(handedOver.get()).isZero();
        // the probe looks, finds the input and counts it
        int chances = 1;
        while (!poll.awaitInput(ready, odds, handedOver::incrementAndGet) && chances < PollOdds.PROBE_EVERY) {
            chances++;
        }
        assertThat(chances).isEqualTo(PollOdds.PROBE_EVERY - 1);
        assertThat(looks.get()).isEqualTo(1);
    }
}
