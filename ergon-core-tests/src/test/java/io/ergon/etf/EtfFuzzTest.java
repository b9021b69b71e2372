package io.ergon.etf;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.term.TermFormat;
import io.ergon.term.Terms;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mutates and truncates the corpus encodings and decodes each result: every input must either decode (and then
 * re-encode, decode back equal and format) or fail with an {@link EtfException}, each within a bound of the thread's
 * CPU time (not of wall-clock time, which a loaded machine stretches: a run beside other builds once took 3.8 s for an
 * input that takes milliseconds). Anything else (a runtime exception, an error, a runaway) fails the test with the
 * seed and the input's hex.
 *
 * <p>{@code -Dergon.fuzz.inputs=N} sets the number of inputs (default 120,000) and {@code -Dergon.fuzz.seed=S}
 * the seed (default: fixed, so CI is reproducible; the long run may pass {@code random}).
 */
class EtfFuzzTest {
    private static final long PER_INPUT_NANOS = 2_000_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final byte[] INTERESTING = {0, 1, 2, (byte) 0x7f, (byte) 0x80, (byte) 0xff, (byte) 0xfe, 8, 32,
        (byte) 131, 70, 77, 80, 82, 88, 89, 90, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
        112, 113, 114, 115, 116, 117, 118, 119, 120, 121};

    @Test
    void mutatedAndTruncatedCorpusFailsOnlyWithClearErrors() {
        int inputs = Integer.getInteger("ergon.fuzz.inputs", 120_000);
        String seedText = System.getProperty("ergon.fuzz.seed", "20261125");
        long seed = seedText.equals("random") ? System.nanoTime() : Long.parseLong(seedText);
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> corpus = Corpus.lines().stream().map(Corpus::bytes).toList();
        EtfDecoder decoder = new EtfDecoder();
        EtfEncoder encoder = new EtfEncoder();
        int decoded = 0;
        int refused = 0;
        long slowest = 0;
        for (int n = 0; n < inputs; n++) {
            byte[] base = corpus.get(random.nextInt(corpus.size()));
            byte[] input = mutate(base, random);
            long start = cpuNanos();
            try {
                Object term = decoder.decode(input);
                decoded++;
                byte[] again = encoder.encode(term);
                Object back = decoder.decode(again);
                if (!Terms.exactlyEqual(term, back)) {
                    throw new AssertionError("re-encoding changed the term");
                }
                TermFormat.format(term);
            } catch (EtfException e) {
                refused++;
                assertThat(e.getMessage()).startsWith("at byte ");
                assertThat(e.offset()).isBetween(0, input.length);
            } catch (Throwable e) {
                throw new AssertionError("seed " + seed + " input " + n + " (" + Etf.hex(input) + "): " + e, e);
            }
            long took = cpuNanos() - start;
            slowest = Math.max(slowest, took);
            if (took > PER_INPUT_NANOS) {
                throw new AssertionError("seed " + seed + " input " + n + " took " + took / 1_000_000 + " ms of CPU: "
                        + Etf.hex(input));
            }
        }
        System.out.printf("fuzz: %d inputs (seed %d): %d decoded, %d refused with EtfException, slowest %.1f ms"
                + " of CPU%n",
                inputs, seed, decoded, refused, slowest / 1e6);
        assertThat(decoded + refused).isEqualTo(inputs);
        assertThat(refused).isGreaterThan(inputs / 10);
    }

    /** This thread's CPU time, where the JVM measures it; wall-clock time where not. */
    private static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled()
                ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** One to a few random edits: flips, interesting bytes, truncation, insertion, deletion, copied slices. */
    static byte[] mutate(byte[] base, SplittableRandom r) {
        byte[] b = base.clone();
        int edits = 1 + r.nextInt(r.nextInt(4) == 0 ? 8 : 2);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(9)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = INTERESTING[r.nextInt(INTERESTING.length)];
                case 2 -> b[at] = (byte) r.nextInt(256);
                case 3 -> b = Arrays.copyOf(b, at); // truncate
                case 4 -> { // a length field made huge or zero
                    int len = Math.min(4, b.length - at);
                    for (int i = 0; i < len; i++) {
                        b[at + i] = r.nextBoolean() ? (byte) 0xff : 0;
                    }
                }
                case 5 -> { // insert a byte
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = INTERESTING[r.nextInt(INTERESTING.length)];
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
                case 6 -> { // delete a run
                    int len = 1 + r.nextInt(Math.min(8, b.length - at));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
                case 7 -> { // copy a slice over another place
                    int from = r.nextInt(b.length);
                    int len = Math.min(1 + r.nextInt(16), Math.min(b.length - from, b.length - at));
                    System.arraycopy(b.clone(), from, b, at, len);
                }
                default -> { // a small tag header repeated: deep nesting
                    int times = 1 + r.nextInt(5000);
                    byte[] head = r.nextBoolean() ? new byte[] {104, 1} : new byte[] {108, 0, 0, 0, 1};
                    byte[] c = new byte[b.length + times * head.length];
                    System.arraycopy(b, 0, c, 0, at);
                    for (int i = 0; i < times; i++) {
                        System.arraycopy(head, 0, c, at + i * head.length, head.length);
                    }
                    System.arraycopy(b, at, c, at + times * head.length, b.length - at);
                    b = c;
                }
            }
        }
        return b;
    }
}
