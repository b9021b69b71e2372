package io.ergon.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ergon.gen.GenServer;
import io.ergon.gen.Strategy;
import io.ergon.gen.Supervisor;
import io.ergon.node.Down;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's promises: requests shared out by its strategy, callers held back while every worker is busy and
 * refused past the waiting limit, workers restarted (their callers told), the restart budget, checkouts returned by
 * checkin, by a cancelled wait and by the holder's exit, and a pool under a supervisor.
 */
class PoolTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final Node node = Node.start("pool_test@localhost");
    /** The calls workers hold unanswered ({@code hold}), in arrival order. */
    private final ConcurrentLinkedQueue<From> held = new ConcurrentLinkedQueue<>();
    /** A thread per waiting caller: the common pool has one thread on a 2-core machine. */
    private final ExecutorService callers = Executors.newCachedThreadPool();

    /** Answers {@code who} with its pid, holds {@code hold} until the test answers it, crashes on {@code crash}. */
    final class Worker extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return switch (String.valueOf(request)) {
                case "who" -> self();
                case "hold" -> {
                    held.add(from);
                    yield noReply();
                }
                case "crash" -> throw new IllegalStateException("asked to crash");
                default -> request;
            };
        }
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
        node.close();
    }

    private PoolClient start(PoolSpec spec) {
        Pool.start(node, spec);
        return Pool.client(node, spec.name());
    }

    private CompletableFuture<Object> callAsync(PoolClient pool, Object request) {
        return CompletableFuture.supplyAsync(() -> pool.call(request, WAIT), callers);
    }

    private void awaitHeld(int n) {
        await().atMost(WAIT).until(() -> held.size() >= n);
    }

    @Test
    void roundRobinSendsEachRequestToTheNextWorker() {
        PoolClient pool = start(Pool.spec("rr", Worker::new).size(3));
        List<Pid> who = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            who.add(pool.call("who"));
        }
        assertThat(new HashSet<>(who)).hasSize(3);
        assertThat(who.subList(3, 6)).as("the same turn again").isEqualTo(who.subList(0, 3));
        assertThat(node.whereis("rr")).isNotNull();
    }

    @Test
    void whenEveryWorkerIsBusyCallersWaitInOrderAndPastTheLimitAreRefused() throws Exception {
        PoolClient pool = start(Pool.spec("busy", Worker::new).size(2).maxWaiting(2));
        List<CompletableFuture<Object>> first = List.of(callAsync(pool, "hold"), callAsync(pool, "hold"));
        awaitHeld(2);
        CompletableFuture<Object> third = callAsync(pool, "third");
        CompletableFuture<Object> fourth = callAsync(pool, "fourth");
        await().atMost(WAIT).until(() -> pool.status().waiting() == 2);
        assertThat(pool.status()).isEqualTo(new PoolStatus(2, 2, 2, 0));
        assertThatThrownBy(() -> pool.call("fifth")).isInstanceOf(PoolException.class)
                .satisfies(e -> assertThat(((PoolException) e).reason()).isEqualTo(Atom.of("pool_full")));
        assertThat(third).as("held back, not answered").isNotDone();

        held.poll().reply("one");
        assertThat(third.get(5, TimeUnit.SECONDS)).isEqualTo("third");
        assertThat(fourth.get(5, TimeUnit.SECONDS)).isEqualTo("fourth");
        held.poll().reply("two");
        assertThat(List.of(first.get(0).get(5, TimeUnit.SECONDS), first.get(1).get(5, TimeUnit.SECONDS)))
                .as("the two held calls came from two threads, in either order")
                .containsExactlyInAnyOrder("one", "two");
        assertThat(pool.status()).isEqualTo(new PoolStatus(2, 0, 0, 0));
    }

    @Test
    void leastBusyPrefersTheIdleWorkerWhereRoundRobinWouldTakeTheNextOne() throws Exception {
        for (PoolStrategy strategy : PoolStrategy.values()) {
            PoolClient pool = start(Pool.spec("load_" + strategy, Worker::new).size(2).workerCapacity(2)
                    .strategy(strategy));
            held.clear();
            CompletableFuture<Object> holding = callAsync(pool, "hold");      // worker A, held
            awaitHeld(1);
            Pid b = pool.call("who");                                         // worker B, answered
            Pid third = pool.call("who");
            if (strategy == PoolStrategy.ROUND_ROBIN) {
                assertThat(third).as("A's turn, although it is busy").isNotEqualTo(b);
            } else {
                assertThat(third).as("B, the idle one").isEqualTo(b);
            }
            held.poll().reply("done");
            assertThat(holding.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        }
    }

    @Test
    void aCrashedWorkerIsRestartedAndItsCallerIsTold() {
        PoolClient pool = start(Pool.spec("crashy", Worker::new).size(2));
        Set<Pid> before = new HashSet<>(List.of(pool.call("who"), pool.call("who")));
        assertThatThrownBy(() -> pool.call("crash")).isInstanceOf(PoolException.class)
                .satisfies(e -> assertThat(((PoolException) e).reason()).isInstanceOfSatisfying(Tuple.class,
                        t -> assertThat(t.get(0)).isEqualTo(Atom.of("worker_exit"))));
        Set<Pid> after = new HashSet<>(List.of(pool.call("who"), pool.call("who")));
        assertThat(after).hasSize(2);
        assertThat(after).as("one worker replaced").hasSize(2).containsAnyElementsOf(before)
                .isNotEqualTo(before);
        assertThat(pool.status().workers()).isEqualTo(2);
    }

    @Test
    void pastItsRestartBudgetThePoolShutsDown() {
        Pid pid = Pool.start(node, Pool.spec("fragile", Worker::new).size(1)
                .restartIntensity(2, Duration.ofMinutes(1)));
        PoolClient pool = Pool.client(node, "fragile");
        try (Mailbox probe = node.mailbox()) {
            probe.monitor(pid);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> pool.call("crash")).isInstanceOf(PoolException.class);
            }
            assertThat(((Down) probe.receive(m -> m instanceof Down, WAIT)).reason()).isEqualTo(Reasons.SHUTDOWN);
        }
        assertThat(node.whereis("fragile")).isNull();
    }

    @Test
    void aCheckedOutWorkerGetsNoRequestsAndComesBackOnCheckin() {
        PoolClient client = start(Pool.spec("lend", Worker::new).size(1));
        try (Mailbox me = node.mailbox()) {
            PoolClient pool = Pool.client(me, "lend");
            PoolClient.Lease lease = pool.checkout(WAIT);
            assertThat((Object) me.call(lease.worker(), "who")).isEqualTo(lease.worker());
            assertThat(client.status()).isEqualTo(new PoolStatus(1, 0, 0, 1));
            assertThat(pool.tryCheckout()).as("none idle").isNull();
            assertThatThrownBy(() -> pool.checkout(Duration.ofMillis(100))).isInstanceOf(PoolException.class)
                    .hasMessageContaining("timeout");
            await().atMost(WAIT).until(() -> client.status().waiting() == 0); // the cancel has arrived
            CompletableFuture<Object> waitingCall = callAsync(client, "queued");
            await().atMost(WAIT).until(() -> client.status().waiting() == 1);
            lease.close();
            assertThat(waitingCall.join()).isEqualTo("queued");
            assertThat(client.status()).as("the timed-out checkout left nothing behind")
                    .isEqualTo(new PoolStatus(1, 0, 0, 0));
            Object inTransaction = pool.transaction(WAIT, w -> me.call(w, "who"));
            assertThat(inTransaction).isEqualTo(lease.worker());
        }
        assertThat(client.status().checkedOut()).isZero();
    }

    @Test
    void aWorkerComesBackWhenItsHolderExits() {
        PoolClient client = start(Pool.spec("holder", Worker::new).size(1));
        Mailbox holder = node.mailbox();
        Pool.client(holder, "holder").checkout(WAIT);
        assertThat(client.status().checkedOut()).isEqualTo(1);
        holder.close();
        await().atMost(WAIT).until(() -> client.status().checkedOut() == 0);
        assertThat((Object) client.call("ok")).isEqualTo("ok");
    }

    @Test
    void underASupervisorThePoolIsRestartedUnderItsName() {
        PoolSpec spec = Pool.spec("supervised", Worker::new).size(2).restartIntensity(0, Duration.ofSeconds(5));
        Supervisor.start(node, Supervisor.spec(Strategy.ONE_FOR_ONE).child(Pool.childSpec(spec)));
        Pid first = node.whereis("supervised");
        assertThatThrownBy(() -> Pool.client(node, "supervised").call("crash")).isInstanceOf(PoolException.class);
        await().atMost(WAIT).until(() -> node.whereis("supervised") != null
                && !first.equals(node.whereis("supervised")));
        assertThat((Object) Pool.client(node, "supervised").call("fine")).isEqualTo("fine");
    }

    @Test
    void sysRequestsAreThePoolsOwnNotPassedToAWorker() {
        start(Pool.spec("inspected", Worker::new).size(2));
        try (Mailbox me = node.mailbox()) {
            assertThat((java.util.Map<Object, Object>) io.ergon.gen.Sys.getState(me, "inspected")).as("the pool's fields")
                    .containsKeys(Atom.of("spec"), Atom.of("waiting"));
        }
    }

    @Test
    void badSpecsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Pool.spec("p", Worker::new).size(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size must be at least 1");
        assertThatThrownBy(() -> Pool.spec("p", Worker::new).maxWaiting(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWaiting");
        assertThatThrownBy(() -> Pool.client(node, "p").checkout(WAIT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Pool.client(ProcessContext");
    }
}
