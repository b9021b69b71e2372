package io.ergon.bench.pekko;

import io.ergon.bench.events.EventsSystem;
import io.ergon.bench.workloads.Measure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.PoisonPill;
import org.apache.pekko.actor.Props;
import org.apache.pekko.event.EventStream;

/**
 * The events workload on Pekko's classic {@code EventStream} (default dispatcher and configuration): the producer
 * is an actor that publishes from its receive, the subscribers are actors subscribed to the event's class
 * ({@link Tick}). After each run the subscribers are unsubscribed and stopped, so none takes part in the next.
 */
public final class PekkoEventStream implements EventsSystem {
    /** One event. */
    public record Tick(int i) {
    }

    private final ActorSystem system = ActorSystem.create("bench-events");

    @Override
    public double publish(int subscribers, int events) throws Exception {
        EventStream stream = system.getEventStream();
        CountDownLatch done = new CountDownLatch(subscribers);
        AtomicLong bad = new AtomicLong();
        List<ActorRef> subs = new ArrayList<>(subscribers);
        for (int i = 0; i < subscribers; i++) {
            ActorRef s = system.actorOf(Props.create(Subscriber.class, () -> new Subscriber(events, bad, done)));
            if (!stream.subscribe(s, Tick.class)) {
                throw new IllegalStateException("subscription refused");
            }
            subs.add(s);
        }
        ActorRef producer = system.actorOf(Props.create(Producer.class, () -> new Producer(events)));
        long t0 = System.nanoTime();
        producer.tell("go", ActorRef.noSender());
        Measure.await(done, "events");
        long t1 = System.nanoTime();
        for (ActorRef s : subs) {
            stream.unsubscribe(s);
            s.tell(PoisonPill.getInstance(), ActorRef.noSender());
        }
        Measure.check("events missed or out of order", 0, bad.get());
        return Measure.rate((long) events * subscribers, t0, t1);
    }

    static final class Producer extends AbstractActor {
        private final int events;

        Producer(int events) {
            this.events = events;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> {
                EventStream stream = getContext().getSystem().getEventStream();
                for (int i = 1; i <= events; i++) {
                    stream.publish(new Tick(i));
                }
                getContext().stop(getSelf());
            }).build();
        }
    }

    static final class Subscriber extends AbstractActor {
        private final int events;
        private final AtomicLong bad;
        private final CountDownLatch done;
        private int expected = 1;

        Subscriber(int events, AtomicLong bad, CountDownLatch done) {
            this.events = events;
            this.bad = bad;
            this.done = done;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().match(Tick.class, t -> {
                if (t.i() != expected) {
                    bad.incrementAndGet();
                }
                if (expected++ == events) {
                    done.countDown();
                }
            }).build();
        }
    }

    @Override
    public void close() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
