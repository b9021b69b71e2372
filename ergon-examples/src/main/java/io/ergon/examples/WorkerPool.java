package io.ergon.examples;

import io.ergon.gen.GenServer;
import io.ergon.node.From;
import io.ergon.node.Node;
import io.ergon.pool.Pool;
import io.ergon.pool.PoolClient;
import io.ergon.term.Pid;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * A pool of 3 workers behind the name {@code thumbnails}, called by 12 callers at once: each worker handles one
 * request at a time, the others wait in the pool, and every request is answered. Run it with
 * {@code ./ergon example worker-pool}.
 */
public final class WorkerPool {
    private WorkerPool() {
    }

    /** Makes a "thumbnail" (spins a little) and answers with its own pid. */
    static final class Thumbnailer extends GenServer {
        @Override
        protected Object handleCall(Object image, From from) {
            long until = System.nanoTime() + 2_000_000; // 2 ms of work
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            log().info("worker {} made a thumbnail of {}", self(), image);
            return self();
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println(run());
    }

    /**
     * Sends 12 requests at once from 12 threads.
     *
     * @return how many requests each worker handled, by worker
     */
    public static Map<String, Integer> run() throws Exception {
        try (Node node = Node.start("pool@localhost");
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Pool.start(node, Pool.spec("thumbnails", Thumbnailer::new).size(3));
            PoolClient thumbnails = Pool.client(node, "thumbnails");
            List<Future<Pid>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String image = "photo" + i + ".jpg";
                answers.add(callers.submit(() -> thumbnails.<Pid>call(image)));
            }
            Map<String, Integer> byWorker = new TreeMap<>();
            for (Future<Pid> a : answers) {
                byWorker.merge(a.get().toString(), 1, Integer::sum);
            }
            return byWorker;
        }
    }
}
