package io.ergon.bench.pool;

import io.ergon.bench.pekko.PekkoSystem.Caller;
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
import org.apache.pekko.routing.BalancingPool;
import org.apache.pekko.routing.RoundRobinPool;
import org.apache.pekko.routing.SmallestMailboxPool;
import scala.concurrent.Await;

/**
 * The Pekko side, classic actors on the default dispatcher: callers (actors that ask and pipe the answer to
 * themselves, as the suite's call workload) against one actor, or a router pool: round-robin, smallest-mailbox, or
 * balancing (one shared mailbox).
 */
final class PekkoPools implements AutoCloseable {
    private final ActorSystem system = ActorSystem.create("poolbench");

    double run(String target, int workers, int clients, int total, int micros) throws Exception {
        Props worker = Props.create(Worker.class, () -> new Worker(micros));
        ActorRef server = system.actorOf(switch (target) {
            case "single" -> worker;
            case "pool-rr" -> new RoundRobinPool(workers).props(worker);
            case "pool-lb" -> new SmallestMailboxPool(workers).props(worker);
            case "pool-balancing" -> new BalancingPool(workers).props(worker);
            default -> throw new IllegalArgumentException(target);
        });
        int per = total / clients;
        CountDownLatch done = new CountDownLatch(clients);
        AtomicLong answered = new AtomicLong();
        List<ActorRef> cs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            cs.add(system.actorOf(Props.create(Caller.class, () -> new Caller(server, per, answered, done))));
        }
        long t0 = System.nanoTime();
        cs.forEach(c -> c.tell("go", ActorRef.noSender()));
        Measure.await(done, "pool calls");
        long t1 = System.nanoTime();
        server.tell(PoisonPill.getInstance(), ActorRef.noSender());
        Measure.check("pool calls answered", (long) per * clients, answered.get());
        return Measure.rate((long) per * clients, t0, t1);
    }

    static final class Worker extends AbstractActor {
        private final int micros;

        Worker(int micros) {
            this.micros = micros;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().match(Integer.class, n -> getSender().tell(Work.spin(n, micros), getSelf()))
                    .build();
        }
    }

    @Override
    public void close() throws Exception {
        Await.result(system.terminate(), scala.concurrent.duration.Duration.create(60, TimeUnit.SECONDS));
    }
}
