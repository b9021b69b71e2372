package io.ergon.bench.events;

import io.ergon.bench.workloads.Measure;
import io.ergon.events.EventToken;
import io.ergon.events.Events;
import io.ergon.node.Actor;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** The workload on Ergon's events: a producer process with an {@link EventToken}, subscriber processes. */
public final class ErgonEvents implements EventsSystem {
    private final Node node = Node.start("bench_events@localhost");
    private int run;

    @Override
    public double publish(int subscribers, int events) throws Exception {
        String name = "bench" + run++;
        CountDownLatch done = new CountDownLatch(subscribers);
        AtomicLong bad = new AtomicLong();
        Pid producer = node.spawn(() -> new Producer(name, events));
        for (int i = 0; i < subscribers; i++) {
            node.spawn(() -> new Subscriber(name, events, bad, done));
        }
        Measure.check("subscribers", subscribers, Events.info(node, name).orElseThrow().subscriberCount());
        long t0 = System.nanoTime();
        node.send(producer, "go");
        Measure.await(done, "events");
        long t1 = System.nanoTime();
        Measure.check("events missed or out of order", 0, bad.get());
        return Measure.rate((long) events * subscribers, t0, t1);
    }

    /** Registers the event; publishes 1..events on "go", then stops (its subscribers then get an EventDown). */
    private static final class Producer extends Actor {
        private final String name;
        private final int events;
        private EventToken token;

        Producer(String name, int events) {
            this.name = name;
            this.events = events;
        }

        @Override
        protected void init() {
            token = Events.register(context(), name);
        }

        @Override
        protected void handleMessage(Object message) {
            for (int i = 1; i <= events; i++) {
                Events.publish(context(), token, i);
            }
            stop(Reasons.NORMAL);
        }
    }

    private static final class Subscriber extends Actor {
        private final String name;
        private final int events;
        private final AtomicLong bad;
        private final CountDownLatch done;
        private int expected = 1;

        Subscriber(String name, int events, AtomicLong bad, CountDownLatch done) {
            this.name = name;
            this.events = events;
            this.bad = bad;
            this.done = done;
        }

        @Override
        protected void init() {
            Events.subscribe(context(), name);
        }

        @Override
        protected void handleMessage(Object message) {
            if (message instanceof io.ergon.events.Event e) {
                if ((Integer) e.message() != expected) {
                    bad.incrementAndGet();
                }
                if (expected++ == events) {
                    done.countDown();
                    stop(Reasons.NORMAL);
                }
            }
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
