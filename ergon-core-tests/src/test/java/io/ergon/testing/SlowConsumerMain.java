package io.ergon.testing;

import io.ergon.net.Rpc;
import io.ergon.node.Actor;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consumer node of {@code SlowConsumerBackpressureTest}, in a JVM of its own (the test runs it with
 * {@code -Xmx256m}): {@code SlowConsumerMain NAME COOKIE EPMD_PORT} starts a distributed node with the default inbound
 * limits and a registered {@code slow_sink} that takes {@code {msg, Sender, I, Bin}} at about 4,000 a second (it
 * sleeps 1 ms every 5 messages), checking that each sender's {@code I} counts up by one. Over rpc: {@code bp:stats()}
 * is {@code {Received, OutOfOrder}}, {@code bp:heap()} the heap in use after a full GC, {@code bp:ping()} is
 * {@code pong}. Prints {@code READY} and runs until its standard input closes.
 */
public final class SlowConsumerMain {
    private static final Atom MSG = Atom.of("msg");
    private static final AtomicLong RECEIVED = new AtomicLong();
    private static final AtomicLong OUT_OF_ORDER = new AtomicLong();

    private SlowConsumerMain() {
    }

    public static void main(String[] args) throws IOException {
        NodeOptions options = NodeOptions.defaults().distributed(true).cookie(args[1])
                .epmdPort(Integer.parseInt(args[2])).listenAddress(InetAddress.getLoopbackAddress());
        try (Node node = Node.start(args[0], options)) {
            node.spawnRegister("slow_sink", SlowSink::new);
            Rpc.of(node).register("bp", "stats", 0, a -> Tuple.of(RECEIVED.get(), OUT_OF_ORDER.get()))
                    .register("bp", "heap", 0, a -> {
                        System.gc();
                        Runtime r = Runtime.getRuntime();
                        return r.totalMemory() - r.freeMemory();
                    })
                    .register("bp", "ping", 0, a -> Atom.of("pong"));
            System.out.println("READY " + node.name() + " max heap " + Runtime.getRuntime().maxMemory());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the test closes our standard input
            }
        }
        System.exit(0);
    }

    /** Takes {@code {msg, Sender, I, Bin}} slowly and checks each sender's order. */
    static final class SlowSink extends Actor {
        private final Map<Object, Long> last = new HashMap<>();

        @Override
        protected void handleMessage(Object message) {
            if (!(message instanceof Tuple t) || t.size() != 4 || t.get(0) != MSG) {
                return;
            }
            long i = (Long) t.get(2);
            Long before = last.put(t.get(1), i);
            if (before == null ? i != 0 : i != before + 1) {
                OUT_OF_ORDER.incrementAndGet();
            }
            if (RECEIVED.incrementAndGet() % 5 == 0) {
                try {
                    Thread.sleep(1); // the consumer's pace: slow on purpose
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
