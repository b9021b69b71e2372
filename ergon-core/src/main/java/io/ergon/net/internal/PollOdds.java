package io.ergon.net.internal;

import io.ergon.concurrent.internal.MachineLoad;
import java.util.function.BooleanSupplier;

/**
 * One connection reader's record of how often its looks for input ({@link InputPoll}) found the next frame within
 * the window, and so whether looking is worth it: yes while the machine's CPUs are not contended ({@link MachineLoad}),
 * where a look costs nothing, or while at least half of the recent looks found it; otherwise the reader blocks at once,
 * and looks only every {@link #PROBE_EVERY}th time, to notice when looking pays again.
 *
 * <p>Why. A look that finds nothing has held a carrier for the whole window, yielding or not. On a quiet machine the
 * peer's answer comes within it nearly always, and looking saves two thread wake-ups per frame. Beside CPU-bound
 * processes the peer's answer takes longer than the window (measured on the 2-core host with two hogs: 20-30% of the
 * looks found it), and the looks only spend the CPU time that the operating system then charges to the reader's
 * carrier, and that the processes of both nodes needed: Ergon↔Ergon calls went from 2.4-3.3k to 3.2-6.5k/s with the
 * looks turned off there ({@code -Dergon.dist.pollMicros=0}).
 *
 * <p>Reader thread only.
 */
final class PollOdds {
    /** Fixed-point one: the share of looks that found input, in 1/1024. */
    private static final int ONE = 1024;
    /** A look's weight in the running share: 1/8, about the last eight looks. */
    private static final int SHIFT = 3;
    /** One look in this many while looking does not pay. */
    static final int PROBE_EVERY = 16;

    private final BooleanSupplier contended;
    private int share = ONE;
    private int sinceLook;

    /** Odds that count only while the machine's CPUs are contended ({@link MachineLoad#saturated()}). */
    PollOdds() {
        this(MachineLoad::saturated);
    }

    /** @param contended whether the machine's CPUs are contended now: only then do the odds decide */
    PollOdds(BooleanSupplier contended) {
        this.contended = contended;
    }

    /** Whether to look for input now, before a read that would otherwise block. */
    boolean worthLooking() {
        if (share >= ONE / 2 || !contended.getAsBoolean() || ++sinceLook >= PROBE_EVERY) {
            sinceLook = 0;
            return true;
        }
        return false;
    }

    /** Records a look's outcome: whether input came within the window. */
    void looked(boolean found) {
        share += ((found ? ONE : 0) - share) >> SHIFT;
    }

    /** Whether the recent looks found input often enough to look every time (for tests). */
    boolean paying() {
        return share >= ONE / 2;
    }
}
