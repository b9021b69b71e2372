package io.ergon.bench.runtime;

import io.ergon.gen.GenServer;
import io.ergon.node.Actor;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The runtime pieces the side-by-side suite tuned, one at a time, through the public API: the mailbox push and
 * batched activation ({@link #sendBurst}), an activation waking another on the same worker ({@link #pingPong}), and
 * the call path with its monitor, alias and park ({@link #call}). Run with
 * {@code java -jar ergon-bench/target/ergon-bench.jar RuntimeBenchmark} after {@code bench/etf.sh} or
 * {@code bench/run.sh} built it. Every operation waits for its answer, so queues never grow across operations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RuntimeBenchmark {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int BURST = 1000;
    private static final int ROUND_TRIPS = 1000;

    private Node node;
    private Mailbox mailbox;
    private Pid counter;
    private Pid pinger;
    private Pid echo;

    @Setup
    public void setUp() {
        node = Node.start("runtime_bench@localhost");
        mailbox = node.mailbox();
        Pid me = mailbox.pid();
        counter = node.spawn(() -> new Counter(me));
        Pid ponger = node.spawn(Ponger::new);
        pinger = node.spawn(() -> new Pinger(ponger, me));
        echo = node.spawn(Echo::new);
    }

    @TearDown
    public void tearDown() {
        mailbox.close();
        node.close();
    }

    /** One message is one operation: a burst of 1000 sends from this thread, then the receiver's ack of the last. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public Object sendBurst() {
        for (int i = BURST - 1; i >= 0; i--) {
            node.send(counter, i);
        }
        return await();
    }

    /** One round trip between two processes is one operation (1000 per invocation, started and ended here). */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public Object pingPong() {
        node.send(pinger, ROUND_TRIPS);
        return await();
    }

    /** A GenServer call from an ordinary thread (a mailbox handle) to a process. */
    @Benchmark
    public Object call() {
        return mailbox.call(echo, "hello", WAIT);
    }

    private Object await() {
        Object m = mailbox.receive(WAIT);
        if (m == null) {
            throw new IllegalStateException("no answer within " + WAIT);
        }
        return m;
    }

    /** Acks the message 0, the last of each burst. */
    private static final class Counter extends Actor {
        private final Pid ackTo;

        Counter(Pid ackTo) {
            this.ackTo = ackTo;
        }

        @Override
        protected void handleMessage(Object message) {
            if ((Integer) message == 0) {
                send(ackTo, "done");
            }
        }
    }

    /** Plays the number of round trips it is given against its ponger, then reports. */
    private static final class Pinger extends Actor {
        private final Pid ponger;
        private final Pid report;
        private int left;

        Pinger(Pid ponger, Pid report) {
            this.ponger = ponger;
            this.report = report;
        }

        @Override
        protected void handleMessage(Object message) {
            if (message instanceof Integer n) {
                left = n;
            }
            if (left-- > 0) {
                send(ponger, self());
            } else {
                send(report, "done");
            }
        }
    }

    private static final class Ponger extends Actor {
        @Override
        protected void handleMessage(Object message) {
            send(message, "pong");
        }
    }

    private static final class Echo extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return request;
        }
    }
}
