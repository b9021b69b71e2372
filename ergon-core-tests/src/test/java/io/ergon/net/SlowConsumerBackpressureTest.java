package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Actor;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Tuple;
import io.ergon.testing.RunsAlone;
import io.ergon.testkit.ErlangNode;
import io.ergon.testing.SlowConsumerMain;
import io.ergon.testkit.ChildJvm;
import io.ergon.testkit.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19's row "fast Erlang producer, slow Ergon consumer, 2 KB messages": the heap went to 1 GB, an
 * OutOfMemoryError killed the ticker, and the node was wedged. The consumer node runs here in a JVM of its own with
 * {@code -Xmx256m} ({@link SlowConsumerMain}: a process that takes about 4,000 messages a second); a producer floods
 * it with 2 KB messages for 15 s, first a real Erlang node, then an Ergon node. Throughout, a third node (in this
 * JVM, on a connection of its own) calls the consumer over rpc every 100 ms and asks for its heap after a full GC
 * every second. Inbound backpressure must hold the consumer's heap to about its limits, keep it answering quickly
 * (see {@link #RPC_BOUND}), lose and reorder nothing, and hold the producer back to about the consumer's pace.
 */
@RunsAlone
class SlowConsumerBackpressureTest {
    private static final String CONSUMER = "bp_consumer@localhost";
    private static final Duration FLOOD = Duration.ofSeconds(15);
    private static final int SIZE = 2048;
    /** The consumer's default inbound limit for one connection. */
    private static final long CONNECTION_LIMIT = 16L << 20;
    /**
     * The heap in use after a full GC that the consumer may not pass: its own baseline (some 5-10 MiB), one
     * connection's limit, and slack. Without backpressure it fills its 256 MiB within seconds.
     */
    private static final long HEAP_BOUND = 48L << 20;
    /**
     * The slowest an rpc may answer once the flood has run for {@link #SETTLING}, and the median it may not pass.
     * Measured on 2 cores shared with the producer and with other builds (load 5-10, 2026-12-03): the median 2-4 ms,
     * the slowest 30-450 ms after the first 2 s, and up to 0.7 s within them, while the consumer's JIT compiles the
     * decoding paths and the reader takes the first 16 MiB at full speed. The bounds leave room for a busier machine;
     * without backpressure the node stops answering altogether.
     */
    private static final Duration RPC_BOUND = Duration.ofSeconds(2);
    private static final Duration RPC_MEDIAN_BOUND = Duration.ofMillis(50);
    private static final Duration SETTLING = Duration.ofSeconds(2);

    @RegisterExtension
    static final TestCluster cluster = TestCluster.create();
    static ChildJvm consumer;
    static Node prober;

    @BeforeAll
    static void start() throws Exception {
        consumer = ChildJvm.start(ChildJvm.Options.defaults().jvmOptions("-Xmx256m"), SlowConsumerMain.class,
                Duration.ofSeconds(30), CONSUMER, cluster.cookie(), Integer.toString(cluster.epmdPort()));
        prober = cluster.ergon("bp_prober");
    }

    @AfterAll
    static void stop() {
        if (consumer != null) {
            consumer.close();
        }
    }

    private static Object rpc(String function, Duration timeout) {
        return Rpc.of(prober).call(CONSUMER, "bp", function, List.of(), timeout);
    }

    private static long received() {
        return (Long) ((Tuple) rpc("stats", Duration.ofSeconds(10))).get(0);
    }

    private static long outOfOrder() {
        return (Long) ((Tuple) rpc("stats", Duration.ofSeconds(10))).get(1);
    }

    /** What the prober saw while a flood ran. */
    record Probe(long worstRpcNanos, long worstSettledRpcNanos, long medianRpcNanos, long rpcs, long failedRpcs,
                 long maxHeap, long heapSamples, String slowest) {
        @Override
        public String toString() {
            return String.format("%d rpcs (%d failed), median %.1f ms, the slowest %.1f ms, after the first %d s "
                    + "%.1f ms (the slowest five: %s); heap after GC at most %.1f MiB over %d samples", rpcs,
                    failedRpcs, medianRpcNanos / 1e6, worstRpcNanos / 1e6, SETTLING.toSeconds(),
                    worstSettledRpcNanos / 1e6, slowest, maxHeap / 1048576.0, heapSamples);
        }
    }

    /** Probes the consumer until {@code done}: an rpc every 100 ms, its heap after a full GC every second. */
    private static CompletableFuture<Probe> probeUntil(CompletableFuture<?> done) {
        CompletableFuture<Probe> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("bp-prober").start(() -> {
            long worst = 0;
            long rpcs = 0;
            long failed = 0;
            long maxHeap = 0;
            long heaps = 0;
            List<long[]> times = new ArrayList<>();
            long start = System.nanoTime();
            long end = start + TimeUnit.MINUTES.toNanos(2);
            while (!done.isDone() && System.nanoTime() < end) {
                long t0 = System.nanoTime();
                try {
                    assertThat(rpc("ping", Duration.ofSeconds(5))).isEqualTo(Atom.of("pong"));
                } catch (RuntimeException e) {
                    failed++;
                }
                worst = Math.max(worst, System.nanoTime() - t0);
                times.add(new long[] {System.nanoTime() - t0, t0 - start});
                rpcs++;
                if (rpcs % 10 == 0) {
                    try {
                        maxHeap = Math.max(maxHeap, (Long) rpc("heap", Duration.ofSeconds(10)));
                        heaps++;
                    } catch (RuntimeException e) {
                        failed++;
                    }
                }
                try {
                    Thread.sleep(100); // the probe's period, not a wait for something to happen
                } catch (InterruptedException e) {
                    break;
                }
            }
            long settled = times.stream().filter(t -> t[1] >= SETTLING.toNanos()).mapToLong(t -> t[0]).max()
                    .orElse(0);
            times.sort((x, y) -> Long.compare(y[0], x[0]));
            StringBuilder slowest = new StringBuilder();
            for (int i = 0; i < Math.min(5, times.size()); i++) {
                slowest.append(i == 0 ? "" : ", ").append(String.format("%.1f ms at %.1f s", times.get(i)[0] / 1e6,
                        times.get(i)[1] / 1e9));
            }
            long median = times.isEmpty() ? 0 : times.get(times.size() / 2)[0];
            result.complete(new Probe(worst, settled, median, rpcs, failed, maxHeap, heaps, slowest.toString()));
        });
        return result;
    }

    /** The checks common to both producers, once the flood is over. */
    private static void check(String producer, long sent, long receivedBefore, long receivedAtEnd, Probe probe,
                              long slack) {
        System.out.printf("%s: sent %d messages of %d bytes in %s; the consumer had taken %d of them when the "
                + "flood ended; %s%n", producer, sent, SIZE, FLOOD, receivedAtEnd - receivedBefore, probe);
        assertThat(probe.failedRpcs()).as("rpcs that failed or timed out: %s", probe).isZero();
        assertThat(probe.heapSamples()).isGreaterThanOrEqualTo(10);
        assertThat(probe.maxHeap()).as("the consumer's heap after GC: %s", probe).isLessThan(HEAP_BOUND);
        assertThat(Duration.ofNanos(probe.worstSettledRpcNanos())).as("the slowest rpc: %s", probe)
                .isLessThan(RPC_BOUND);
        assertThat(Duration.ofNanos(probe.medianRpcNanos())).as("the median rpc: %s", probe)
                .isLessThan(RPC_MEDIAN_BOUND);
        // held back: ahead of the consumer by what the limits and the buffers hold, no more
        long ahead = sent - (receivedAtEnd - receivedBefore);
        assertThat(ahead).as("messages sent but not yet taken when the flood ended").isLessThan(slack / SIZE);
        // nothing lost or reordered: the consumer takes every one, in each sender's order
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> received() >= receivedBefore + sent);
        assertThat(received()).isEqualTo(receivedBefore + sent);
        assertThat(outOfOrder()).isZero();
    }

    @Test
    @Tag("erlang")
    @Timeout(180)
    void aFastErlangProducerIsHeldBackWhileTheConsumerStaysSmallAndAnswers() throws Exception {
        ErlangNode.assumeAvailable();
        try (ErlangNode erl = ErlangNode.start("bp_erl_producer", cluster.cookie(), cluster.epmdPort())) {
            erl.loadResource("ergon_flood");
            long before = received();
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletableFuture<Probe> probe = probeUntil(done);
            assertThat(erl.eval("ergon_flood:start({slow_sink, '" + CONSUMER + "'}, " + FLOOD.toMillis() + ", "
                    + SIZE + ").")).isEqualTo("ok");
            Pattern doneResult = Pattern.compile("\\{done,(\\d+),(\\d+)}");
            long[] sent = new long[1];
            Awaitility.await().atMost(FLOOD.plusSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                Matcher m = doneResult.matcher(erl.eval("ergon_flood:result()."));
                if (m.matches()) {
                    sent[0] = Long.parseLong(m.group(1));
                    return true;
                }
                return false;
            });
            long atEnd = received();
            done.complete(null);
            // the consumer's limit, Erlang's busy limit (1 MiB) and the two sockets' buffers (a few MiB each)
            check("Erlang producer", sent[0], before, atEnd, probe.get(30, TimeUnit.SECONDS),
                    CONNECTION_LIMIT + (16L << 20));
        }
    }

    @Test
    @Timeout(180)
    void aFastErgonProducerIsHeldBackWhileTheConsumerStaysSmallAndAnswers() throws Exception {
        try (Node producer = Node.start("bp_ergon_producer@localhost", cluster.baseOptions())) {
            long before = received();
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletableFuture<Probe> probe = probeUntil(done);
            Name sink = new Name(Atom.of("slow_sink"), Atom.of(CONSUMER));
            producer.spawn(() -> new Actor() {
                @Override
                protected void init() {
                    send(self(), "go");
                }

                @Override
                protected void handleMessage(Object message) {
                    Binary payload = Binary.of(new byte[SIZE]);
                    long end = System.nanoTime() + FLOOD.toNanos();
                    long i = 0;
                    while (i % 64 != 0 || System.nanoTime() < end) {
                        send(sink, Tuple.of(Atom.of("msg"), self(), i, payload));
                        sent.set(++i);
                    }
                    done.complete(null);
                }
            });
            done.get(FLOOD.toSeconds() + 60, TimeUnit.SECONDS);
            long atEnd = received();
            // the consumer's limit, the producer's busy limit (8 MiB) and the two sockets' buffers
            check("Ergon producer", sent.get(), before, atEnd, probe.get(30, TimeUnit.SECONDS),
                    CONNECTION_LIMIT + (24L << 20));
        }
    }
}
