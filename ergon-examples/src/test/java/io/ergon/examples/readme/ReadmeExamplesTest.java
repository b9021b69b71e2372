package io.ergon.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.events.Event;
import io.ergon.events.EventDown;
import io.ergon.gen.ChildCounts;
import io.ergon.net.Global;
import io.ergon.net.Rpc;
import io.ergon.node.Down;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.Spawned;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Runs the README's code (the sources ReadmeSnippetsTest holds the README to) and checks what it promises. */
class ReadmeExamplesTest {
    @Test
    void theFirstExampleRunsAsAProgram() {
        HelloErgon.main(new String[0]);
    }

    @Test
    void theLocalSectionsDoWhatTheySay() {
        try (Node node = Node.start("readme_local@localhost")) {
            assertThat(Tour.genServer(node)).isEqualTo("Hello Ada");
            assertThat(Tour.genStatem(node)).as("a call made while red is postponed until green")
                    .isEqualTo("crossed on GREEN");
            assertThat(Tour.pool(node)).isEqualTo(List.of("resized cat.png",
                    new io.ergon.pool.PoolStatus(4, 0, 0, 0)));
            assertThat(Tour.pg(node)).hasSize(1);
            assertThat(Tour.genEvent(node)).isEqualTo(List.of(List.of("disk_full", "fan_stopped"), List.of("raised")));
            List<Object> events = Tour.events(node);
            assertThat(events.get(0)).asString().contains("Price[symbol=ACME, cents=4200]");
            assertThat(events.get(1)).isInstanceOf(Event.class).asString().contains("Price[symbol=ACME, cents=4210]");
            assertThat(events.get(2)).isEqualTo(new EventDown(Name.of("prices", "readme_local@localhost"),
                    Atom.of("shutdown")));
        }
        try (Node node = Node.start("readme_metrics@localhost")) {
            assertThat(Metrics.metrics(node)).as("one call timed, one process spawned").isEqualTo(List.of(1.0, 1L));
        }
        try (Node node = Node.start("readme_local_more@localhost")) {
            List<Object> got = Tour.mailboxAndTimers(node);
            assertThat(got.get(0)).isEqualTo("tick");
            assertThat(got.get(1)).isInstanceOf(Down.class);

            List<Pid> started = Tour.processContext(node);
            assertThat(started).hasSize(2);
            assertThat(node.isAlive(started.get(1))).as("the worker the actor started").isTrue();

            ChildCounts counts = Tour.supervisors(node);
            assertThat(counts).isEqualTo(new ChildCounts(3, 3, 1, 2));

            assertThat(Tour.applications(node)).isEqualTo(8080);
        }
    }

    @Test
    void aWatcherOutlivesTheWorkerItWatches() {
        try (Node node = Node.start("readme_watch@localhost"); Mailbox me = node.mailbox()) {
            Pid watcher = node.spawn(Tour.Watcher::new);
            me.monitor(watcher);
            Pid worker = node.spawn(Tour.Worker::new);
            node.send(watcher, worker);
            me.monitor(worker);
            node.exit(worker, Atom.of("crashed"));
            assertThat(me.receive(m -> m instanceof Down d && d.item().equals(worker), Duration.ofSeconds(5)))
                    .isNotNull();
            assertThat(me.receive(m -> m instanceof Down, Duration.ofMillis(200))).as("the watcher traps exits")
                    .isNull();
        }
    }

    @Test
    void twoNodesTalk() {
        assertThat(Tour.distribution()).isEqualTo("Ada");
    }

    /** The global section, on one node of two: the name resolves on the other too, and the message arrives. */
    @Test
    void aGlobalNameResolvesOnEveryNode() {
        NodeOptions options = NodeOptions.defaults().distributed(true).cookie("secret");
        try (Node node1 = Node.start("readme_g1@localhost", options);
             Node node2 = Node.start("readme_g2@localhost", options);
             Mailbox billing = node1.mailbox()) {
            assertThat(node2.connect("readme_g1@localhost")).isTrue();
            assertThat(Global.of(node2).sync(Duration.ofSeconds(10))).isTrue();
            AtomicLong ledger = new AtomicLong();
            assertThat(Tour.global(node1, billing.pid(), ledger)).isEqualTo(billing.pid());
            assertThat(Global.of(node2).whereis("billing")).isEqualTo(billing.pid());
            assertThat(billing.receive(Duration.ofSeconds(5))).as("a local send: the String itself")
                    .isEqualTo("invoice 42");
            assertThat(ledger.get()).isEqualTo(42);
        }
    }

    /**
     * The sections that talk to an Erlang node, against an Ergon node that stands in for it (named erl@localhost,
     * answering what the README asks of Erlang); the same calls against real Erlang nodes are ergon-core's tests.
     */
    @Test
    void theErlangSectionsRunAgainstANodeThatAnswersAsErlang() {
        NodeOptions options = NodeOptions.defaults().distributed(true).cookie("secret");
        try (Node erl = Node.start("erl@localhost", options);
             Node node = Node.start("readme_rpc@localhost", options);
             Mailbox mailbox = node.mailbox()) {
            erl.spawnRegister("my_server", Tour.Echo::new);
            Rpc.of(erl).register("lists", "seq", 2, args -> LongStream.rangeClosed((Long) args.get(0),
                    (Long) args.get(1)).boxed().toList());
            Rpc.of(erl).allowSpawn("timer", "sleep", args -> new Tour.Worker());

            assertThat((Object) Tour.withErlang(node, "request")).isEqualTo(io.ergon.term.Binary.of("request"));

            Spawned s = Tour.rpc(node, mailbox);
            assertThat(s).as("lists:seq(1, 5) answered [1,2,3,4,5]").isNotNull();
            assertThat(s.monitor()).isNotNull();
            assertThat(erl.isAlive(s.pid())).isTrue();
        }
    }
}
