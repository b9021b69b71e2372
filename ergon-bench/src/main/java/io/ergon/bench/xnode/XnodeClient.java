package io.ergon.bench.xnode;

import io.ergon.bench.workloads.Measure;
import io.ergon.node.Actor;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.ProcessInfo;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The sending side of the cross-node benchmark on Ergon, the twin of {@code bench/erlang/xnode.escript client}:
 * each workload runs in a fresh process against the server node's registered sink and echo server, and prints
 * {@code RESULT|workload|PAIRING|unit|v1,...}. Usage:
 * {@code XnodeClient NAME COOKIE EPMD_PORT SERVER PAIRING RUNS WARMUPS MESSAGES CALLS LINKS}.
 */
public final class XnodeClient {
    private static final Duration LONG = Duration.ofSeconds(Measure.TIMEOUT_SECONDS);

    private XnodeClient() {
    }

    public static void main(String[] args) throws Exception {
        String server = args[3];
        String pairing = args[4];
        int runs = Integer.parseInt(args[5]);
        int warmups = Integer.parseInt(args[6]);
        int messages = Integer.parseInt(args[7]);
        int calls = Integer.parseInt(args[8]);
        int links = Integer.parseInt(args[9]);
        try (Node node = Xnode.start(args[0], args[1], Integer.parseInt(args[2]))) {
            if (!node.connect(server)) {
                throw new IllegalStateException("cannot connect to " + server);
            }
            Name sink = Name.of(Xnode.SINK, server);
            Name echo = Name.of(Xnode.ECHO, server);
            bench(node, "xstream", pairing, "msg/s", runs, warmups, a -> a.stream(sink, messages));
            bench(node, "xcall", pairing, "calls/s", runs, warmups, a -> a.calls(echo, calls));
            bench(node, "xlink", pairing, "link+unlink/s", runs, warmups, a -> a.links(echo, links));
            bench(node, "xmonitor", pairing, "monitor+demonitor/s", runs, warmups, a -> a.monitors(echo, links));
        }
        System.exit(0);
    }

    private static void bench(Node node, String id, String pairing, String unit, int runs, int warmups,
                              Function<Task, Double> body) throws InterruptedException {
        List<Double> figures = new ArrayList<>();
        for (int i = 0; i < warmups + runs; i++) {
            CountDownLatch done = new CountDownLatch(1);
            Task task = new Task(body, done);
            node.send(node.spawn(() -> task), Reasons.NORMAL);
            Measure.await(done, id);
            if (task.failure != null) {
                throw new IllegalStateException(id + " failed", task.failure);
            }
            System.err.printf(Locale.ROOT, "%s %s %s %.1f%n", pairing, id, i < warmups ? "warm-up" : "run",
                    task.figure);
            if (i >= warmups) {
                figures.add(task.figure);
            }
        }
        System.out.println("RESULT|" + id + "|" + pairing + "|" + unit + "|" + figures.stream()
                .map(f -> String.format(Locale.ROOT, "%.1f", f)).collect(Collectors.joining(",")));
    }

    /** One workload run, in a process of its own; started by any message. */
    private static final class Task extends Actor {
        private final Function<Task, Double> body;
        private final CountDownLatch done;
        volatile double figure;
        volatile Throwable failure;

        Task(Function<Task, Double> body, CountDownLatch done) {
            this.body = body;
            this.done = done;
        }

        @Override
        protected void handleMessage(Object message) {
            try {
                figure = body.apply(this);
            } catch (Throwable t) {
                failure = t;
            }
            done.countDown();
            stop(Reasons.NORMAL);
        }

        double stream(Name sink, int n) {
            long t0 = System.nanoTime();
            for (long i = n; i > 0; i--) {
                send(sink, Tuple.of(Xnode.MSG, i));
            }
            Ref ref = makeRef();
            send(sink, Tuple.of(Xnode.SYNC, self(), ref));
            Object reply = receive(m -> m instanceof Tuple t && t.size() == 2 && ref.equals(t.get(0)), LONG);
            long t1 = System.nanoTime();
            Measure.check("messages the sink counted", n, reply == null ? -1 : ((Number) ((Tuple) reply).get(1)).longValue());
            return Measure.rate(n, t0, t1);
        }

        double calls(Name echo, int n) {
            long t0 = System.nanoTime();
            long ok = 0;
            for (long i = n; i > 0; i--) {
                Object reply = call(echo, Tuple.of(Xnode.MSG, i));
                if (reply instanceof Tuple t && t.size() == 2 && Long.valueOf(i).equals(t.get(1))) {
                    ok++;
                }
            }
            long t1 = System.nanoTime();
            Measure.check("calls answered", n, ok);
            return Measure.rate(n, t0, t1);
        }

        double links(Name echo, int n) {
            Pid p = call(echo, Xnode.PID);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                link(p);
                unlink(p);
            }
            call(echo, Tuple.of(Xnode.MSG, 0L));
            long t1 = System.nanoTime();
            ProcessInfo info = node().info(self());
            Measure.check("links left", 0, info.links().size());
            return Measure.rate(n, t0, t1);
        }

        double monitors(Name echo, int n) {
            Pid p = call(echo, Xnode.PID);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                demonitor(monitor(p));
            }
            call(echo, Tuple.of(Xnode.MSG, 0L));
            long t1 = System.nanoTime();
            ProcessInfo info = node().info(self());
            Measure.check("monitors left", 0, info.monitors().size());
            return Measure.rate(n, t0, t1);
        }
    }
}
