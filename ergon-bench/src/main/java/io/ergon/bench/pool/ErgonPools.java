package io.ergon.bench.pool;

import io.ergon.bench.workloads.ErgonSystem.Caller;
import io.ergon.bench.workloads.Measure;
import io.ergon.gen.GenServer;
import io.ergon.node.From;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.pool.Pool;
import io.ergon.pool.PoolStrategy;
import io.ergon.term.Pid;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** The Ergon side: callers (processes) against one GenServer, or against a {@link Pool} of them. */
final class ErgonPools implements AutoCloseable {
    private final Node node = Node.start("pool_bench@localhost");
    private int pools;

    /** Calls per second from {@code clients} callers sharing {@code total} calls to {@code workers} workers. */
    double run(String target, int workers, int clients, int total, int micros) throws Exception {
        Pid server = switch (target) {
            case "single" -> node.spawn(() -> new Worker(micros));
            case "pool-rr", "pool-lb" -> Pool.start(node, Pool.spec("bench_pool_" + pools++, () -> new Worker(micros))
                    .size(workers).strategy(target.equals("pool-rr") ? PoolStrategy.ROUND_ROBIN
                            : PoolStrategy.LEAST_BUSY).workerCapacity(2));
            default -> throw new IllegalArgumentException(target);
        };
        int per = total / clients;
        CountDownLatch done = new CountDownLatch(clients);
        AtomicLong answered = new AtomicLong();
        List<Pid> cs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            cs.add(node.spawn(() -> new Caller(server, per, answered, done)));
        }
        long t0 = System.nanoTime();
        cs.forEach(c -> node.send(c, "go"));
        Measure.await(done, "pool calls");
        long t1 = System.nanoTime();
        node.exit(server, Reasons.SHUTDOWN);
        Measure.check("pool calls answered", (long) per * clients, answered.get());
        return Measure.rate((long) per * clients, t0, t1);
    }

    private static final class Worker extends GenServer {
        private final int micros;

        Worker(int micros) {
            this.micros = micros;
        }

        @Override
        protected Object handleCall(Object request, From from) {
            return Work.spin((Integer) request, micros);
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
