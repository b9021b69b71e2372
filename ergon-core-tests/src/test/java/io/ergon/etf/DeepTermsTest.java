package io.ergon.etf;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.term.TermFormat;
import io.ergon.term.TermOrder;
import io.ergon.term.Terms;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Terms as deep as the default decode limit allows can be decoded, re-encoded, formatted, compared, hashed and
 * checked for equality on a thread with a 1 MiB stack (Java's default), and hostile deep map keys are refused.
 */
class DeepTermsTest {
    private static void onSmallStack(ThrowingRunnable body) throws Throwable {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", 1 << 20);
        t.start();
        t.join(60_000);
        assertThat(t.isAlive()).isFalse();
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    interface ThrowingRunnable {
        void run() throws Throwable;
    }

    private static String nested(String open, String inner, String close, int depth) {
        return "83" + open.repeat(depth) + inner + close.repeat(depth);
    }

    @Test
    void deepestDefaultTermsWorkEverywhere() throws Throwable {
        int depth = DecodeLimits.DEFAULT.maxDepth();
        // Lists nest one level per LIST_EXT: [[[...]]]; tuples one per SMALL_TUPLE_EXT; a mix as well.
        for (String hex : new String[] {nested("6c00000001", "6a", "6a", depth), nested("6801", "6a", "", depth),
            nested("68026101" + "6c00000001", "6a", "6a", depth / 2)}) {
            onSmallStack(() -> {
                byte[] bytes = Etf.unhex(hex);
                Object a = Etf.decode(bytes);
                Object b = Etf.decode(bytes);
                assertThat(Etf.encode(a)).isEqualTo(bytes);
                assertThat(Terms.exactlyEqual(a, b)).isTrue();
                assertThat(Terms.hash(a)).isEqualTo(Terms.hash(b));
                assertThat(TermOrder.STANDARD.compare(a, b)).isZero();
                assertThat(TermFormat.format(a)).hasSizeGreaterThan(depth);
            });
        }
    }

    @Test
    void deepMapKeysAreRefusedBeforeTheyAreHashed() throws Throwable {
        int limit = DecodeLimits.DEFAULT.maxMapKeyDepth();
        String ok = "837400000001" + "6c00000001".repeat(limit - 1) + "6b000161" + "6a".repeat(limit - 1) + "6101";
        String bad = "837400000001" + "6c00000001".repeat(limit) + "6b000161" + "6a".repeat(limit) + "6101";
        onSmallStack(() -> {
            assertThat(Etf.decode(Etf.unhex(ok))).isInstanceOf(java.util.Map.class);
            try {
                Etf.decode(Etf.unhex(bad));
                throw new AssertionError("decoded");
            } catch (EtfException e) {
                assertThat(e.getMessage()).isEqualTo("at byte 1: map key nested " + (limit + 1)
                        + " deep, more than the limit of " + limit);
            }
        });
    }
}
