package io.ergon.examples.readme;

import io.ergon.events.Event;
import io.ergon.events.EventOptions;
import io.ergon.events.EventToken;
import io.ergon.events.Events;
import io.ergon.gen.ApplicationMode;
import io.ergon.gen.ApplicationSpec;
import io.ergon.gen.Applications;
import io.ergon.gen.EventHandler;
import io.ergon.gen.EventManagerClient;
import io.ergon.gen.GenEvent;
import io.ergon.gen.ChildCounts;
import io.ergon.gen.ChildSpec;
import io.ergon.gen.GenServer;
import io.ergon.gen.GenStatem;
import io.ergon.gen.Restart;
import io.ergon.gen.Shutdown;
import io.ergon.gen.StateEvent;
import io.ergon.gen.Strategy;
import io.ergon.gen.Supervisor;
import io.ergon.gen.SupervisorClient;
import io.ergon.gen.SupervisorSpec;
import io.ergon.gen.Transition;
import io.ergon.net.Pg;
import io.ergon.net.Global;
import io.ergon.net.Rpc;
import io.ergon.node.Actor;
import io.ergon.node.Down;
import io.ergon.node.Exit;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.ProcessContext;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnOptions;
import io.ergon.pool.Pool;
import io.ergon.pool.PoolClient;
import io.ergon.pool.PoolStatus;
import io.ergon.pool.PoolStrategy;
import io.ergon.node.Spawned;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The README's tour, section by section; each method returns what the tests check. The regions between
 * {@code // [snippet NAME]} and {@code // [end]} are the README's {@code java} blocks, word for word.
 */
public final class Tour {
    private Tour() {
    }

    /** The GenServer section: the greeter's reply. */
    public static String genServer(Node node) {
        // [snippet genserver]
        record Greet(String name) {}

        final class Greeter extends GenServer {
            @Override protected Object handleCall(Object request, From from) {
                return switch (request) {
                    case Greet(String name) -> "Hello " + name;
                    default -> throw new IllegalArgumentException("unknown request " + request);
                };
            }
            @Override protected void handleCast(Object message) { log().info("received {}", message); }
        }

        Pid greeter = node.spawnRegister("greeter", Greeter::new);
        node.cast("greeter", "Hello Ergon!");
        String reply = node.callAs(greeter, new Greet("Ada"), String.class);   // typed: the same across nodes
        // [end]
        return reply;
    }

    /** The GenStatem section: the light's answer to a call made while it was red. */
    public static String genStatem(Node node) {
        // [snippet genstatem]
        enum Light { RED, GREEN }

        final class TrafficLight extends GenStatem<Light, Integer> {
            static final Duration PHASE = Duration.ofMillis(100);

            @Override protected Transition<Light, Integer> initialState() {
                return next(Light.RED, 0).stateTimeout(PHASE, "change");
            }
            @Override protected Transition<Light, Integer> handleEvent(StateEvent event, Light light, Integer cycles) {
                return switch (event) {
                    case StateEvent.StateTimeout t when light == Light.RED ->
                            next(Light.GREEN, cycles + 1).stateTimeout(PHASE, "change");
                    case StateEvent.StateTimeout t -> next(Light.RED).stateTimeout(PHASE, "change");
                    case StateEvent.Call(Object cross, From from) when light == Light.RED ->
                            keep().postpone();                  // waits for green, however long
                    case StateEvent.Call(Object cross, From from) -> keep().reply(from, "crossed on " + light);
                    default -> keep();
                };
            }
        }

        Pid light = node.spawn(TrafficLight::new);
        String answer = node.call(light, "cross");                      // "crossed on GREEN"
        // [end]
        return answer;
    }

    /** The GenEvent section: what the alarm handler answers after two events, and which handlers are left. */
    public static List<Object> genEvent(Node node) {
        // [snippet genevent]
        final class Alarms extends EventHandler {
            private final List<Object> raised = new ArrayList<>();

            @Override protected void handleEvent(Object event) {
                switch (event) {
                    case String alarm when alarm.startsWith("clear") -> raised.remove(alarm.substring(6));
                    case String alarm -> raised.add(alarm);
                    default -> { }
                }
            }
            @Override protected Object handleCall(Object request) { return List.copyOf(raised); }
        }

        GenEvent.start(node, "alarms");
        EventManagerClient alarms = GenEvent.client(node, "alarms");
        alarms.addHandler("raised", Alarms::new, null);     // any term names a handler
        alarms.notify("disk_full");                          // to every handler, returns at once
        alarms.syncNotify("fan_stopped");                    // returns once every handler has it
        Object raised = alarms.call("raised", "list");       // [disk_full, fan_stopped]
        // [end]
        return List.of(raised, alarms.whichHandlers());
    }

    /** The Pools section: the answers of the pool's workers, and its load after. */
    public static List<Object> pool(Node node) {
        // [snippet pool]
        final class Resizer extends GenServer {
            @Override protected Object handleCall(Object request, From from) {
                return "resized " + request;                    // the slow work, one request at a time per worker
            }
        }

        Pool.start(node, Pool.spec("resizers", Resizer::new).size(4).strategy(PoolStrategy.LEAST_BUSY));
        PoolClient resizers = Pool.client(node, "resizers");
        String done = resizers.call("cat.png");                 // waits while all 4 are busy; PoolException past
                                                                // maxWaiting, or if the worker dies
        node.call("resizers", "dog.png");                       // or as any gen_server, from Java or Erlang
        PoolStatus load = resizers.status();                    // workers 4, requests 0, waiting 0, checked out 0
        // [end]
        return List.of(done, load);
    }

    /** The Events section: the buffered price a subscriber got, the next one, and the producer's end. */
    public static List<Object> events(Node node) {
        // [snippet events]
        record Price(String symbol, long cents) {}

        final class Ticker extends GenServer {
            private EventToken prices;

            @Override protected void init() {
                prices = Events.register(context(), "prices", EventOptions.defaults().buffer(1));
            }
            @Override protected Object handleCall(Object price, From from) {
                Events.publish(context(), prices, price);        // only this process may publish to "prices"
                return "published";
            }
        }

        Pid ticker = node.spawn(Ticker::new);
        node.call(ticker, new Price("ACME", 4200));
        Mailbox screen = node.mailbox();                          // or any process: context() in an actor
        List<Event> latest = Events.subscribe(screen, "prices"); // the buffer: [Event[prices, Price[ACME, 4200]]]
        node.call(ticker, new Price("ACME", 4210));
        Object next = screen.receive(Duration.ofSeconds(1));     // Event[prices, Price[ACME, 4210]]
        node.exit(ticker, Reasons.SHUTDOWN);
        Object end = screen.receive(Duration.ofSeconds(1));      // EventDown[prices, shutdown]
        // [end]
        screen.close();
        return List.of(latest, next, end);
    }

    /** The process groups section: the members of "chat" after one left. */
    public static List<Pid> pg(Node node) {
        // [snippet pg]
        Pg.startScope(node, "pg");                     // on every node that takes part, as OTP's pg:start_link()
        Pg groups = Pg.of(node);
        Mailbox alice = node.mailbox(), bob = node.mailbox();
        groups.join("chat", alice.pid(), bob.pid());   // this node's processes; Erlang's pg sees them too
        groups.leave("chat", bob.pid());
        List<Pid> members = groups.members("chat");   // [alice], and the members on every other node
        // [end]
        alice.close();
        bob.close();
        return members;
    }

    // [snippet watcher]
    static final class Watcher extends Actor {
        @Override protected void init() { trapExit(true); }
        @Override protected void handleMessage(Object message) {
            switch (message) {
                case Pid worker -> { link(worker); monitor(worker); }
                case Exit(Pid from, Object reason) -> log().warn("{} exited: {}", from, reason);
                case Down down -> log().warn("monitor fired: {}", down);
                default -> { }
            }
        }
    }
    // [end]

    /** The mailbox section: the two messages it received. */
    public static List<Object> mailboxAndTimers(Node node) {
        // [snippet mailbox]
        try (Mailbox me = node.mailbox()) {
            node.sendAfter(me.pid(), "tick", Duration.ofMillis(100));   // TimerRef.cancel() stops it
            Object first = me.receive(Duration.ofSeconds(1));
            Pid worker = me.spawnMonitor(Worker::new).pid();
            node.exit(worker, "done");
            Object down = me.receive(m -> m instanceof Down, Duration.ofSeconds(1));   // others stay queued, in order
            return List.of(first, down);
        }
        // [end]
    }

    // [snippet context-method]
    static Pid startWatched(ProcessContext process, Supplier<? extends Actor> worker) {
        Pid pid = process.spawnLink(worker);
        process.monitor(pid);
        return pid;
    }
    // [end]

    /** The ProcessContext section: the workers started from a mailbox and from an actor. */
    public static List<Pid> processContext(Node node) {
        try (Mailbox mailbox = node.mailbox()) {
            // [snippet context-mailbox]
            Pid fromMain = startWatched(mailbox, Worker::new);        // from main, a test, a servlet
            // [end]
            Pid parent = node.spawn(Parent::new);
            Pid fromActor = node.callAs(parent, "which", Pid.class);
            return List.of(fromMain, fromActor);
        }
    }

    // [snippet context-actor]
    static final class Parent extends GenServer {
        private Pid worker;
        @Override protected void init() { worker = startWatched(context(), Worker::new); }   // from an actor
        @Override protected Object handleCall(Object request, From from) { return worker; }
    }
    // [end]

    /** The Supervisors section: the children counted at the end. */
    public static ChildCounts supervisors(Node node) {
        // [snippet supervisors]
        SupervisorSpec spec = Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(5, Duration.ofSeconds(5))
            .child(ChildSpec.worker("faulty", Worker::new).restart(Restart.PERMANENT))
            .child(ChildSpec.worker("cache", Worker::new).shutdown(Shutdown.timeout(Duration.ofSeconds(1))))
            .child(ChildSpec.supervisor("workers", Supervisor.spec(Strategy.ONE_FOR_ALL)
                .child(ChildSpec.worker("ledger", Worker::new))
                .child(ChildSpec.worker("payments", Worker::new))));

        Pid sup = Supervisor.start(node, "top", spec);        // or spawnLink(() -> new Supervisor(spec)) in an actor
        SupervisorClient top = Supervisor.client(node, sup);  // or Supervisor.client(mailbox or context(), sup)
        top.startChild(ChildSpec.worker("extra", Worker::new));
        top.whichChildren();                                  // [ChildInfo[id=extra, ...], ...] newest first
        top.terminateChild("extra");                          // stopped; its spec stays
        top.restartChild("extra");                            // started again from its spec
        top.terminateChild("extra"); top.deleteChild("extra");   // stopped and forgotten
        ChildCounts counts = top.countChildren();
        // [end]
        return counts;
    }

    /** The Applications section: the port read from the environment. */
    public static int applications(Node node) {
        // [snippet applications]
        SupervisorSpec dbTree = Supervisor.spec(Strategy.ONE_FOR_ONE).child(ChildSpec.worker("pool", Worker::new));
        SupervisorSpec shopTree = Supervisor.spec(Strategy.ONE_FOR_ONE).child(ChildSpec.worker("web", Worker::new));
        Applications apps = Applications.of(node);
        apps.load(ApplicationSpec.of("db").version("1.0").root(dbTree));
        apps.load(ApplicationSpec.of("shop").dependsOn("db").env("port", 8080).root(shopTree));
        apps.start("shop", ApplicationMode.PERMANENT);   // starts db first; refuses if a dependency is not loaded
        int port = apps.env("shop", "port", 80);
        apps.running();                                  // newest first
        apps.stop("shop");                               // through its supervision tree
        // [end]
        return port;
    }

    /** The Distribution section, between two Ergon nodes: the typed reply of node1's greeter to node2. */
    public static String distribution() {
        // [snippet distribution]
        NodeOptions options = NodeOptions.defaults().distributed(true).cookie("secret");
        try (Node node1 = Node.start("node1@localhost", options);
             Node node2 = Node.start("node2@localhost", options)) {
            node1.spawnRegister("node1Process", Logger::new);
            node2.send(Name.of("node1Process", "node1@localhost"), "Hello from node 2!");
            node1.spawnRegister("greeter", Echo::new);
            return node2.callAs(Name.of("greeter", "node1@localhost"), "Ada", String.class);   // "Ada", not a Binary
        }
        // [end]
    }

    /** The Distribution section, with an Erlang node: its {@code my_server} answers {@code request}. */
    public static Object withErlang(Node node, Object request) {
        // [snippet distribution-erlang]
        node.ping("erl@localhost");                           // pong from an Erlang node started with -sname erl
        Object reply = node.call(Name.of("my_server", "erl@localhost"), request);   // gen_server:call on Erlang
        // [end]
        return reply;
    }

    /**
     * The rpc section: what Erlang may call and spawn here, and an erpc call and a remote spawn the other way; null
     * if {@code lists:seq(1, 5)} did not answer {@code [1,2,3,4,5]}.
     */
    public static Spawned rpc(Node node, Mailbox mailbox) {
        // [snippet rpc]
        Rpc rpc = Rpc.of(node);                                                    // the node's rpc service
        rpc.register("orders", "total", 1, args -> 42L * (Long) args.get(0)); // rpc:call(Node, orders, total, [42])
        rpc.allowSpawn("workers", "start", args -> new Worker());               // spawn(Node, workers, start, [])
        Object seq = rpc.call("erl@localhost", "lists", "seq", List.of(1L, 5L), Duration.ofSeconds(5));   // erpc
        Spawned s = mailbox.spawnRemote("erl@localhost", "timer", "sleep", List.of(1000L),
                SpawnOptions.none().monitor(), Duration.ofSeconds(5));
        // [end]
        return List.of(1L, 2L, 3L, 4L, 5L).equals(seq) ? s : null;
    }

    /**
     * The global section: {@code billing} registered cluster-wide, a message sent to it by name, the ledger updated
     * under a lock taken on every node; returns the pid the name resolves to.
     */
    public static Pid global(Node node, Pid billing, AtomicLong ledger) {
        // [snippet global]
        Global global = Global.of(node);
        global.register("billing", billing);             // global:register_name(billing, Pid): on every node
        Pid pid = global.whereis("billing");             // what global:whereis_name(billing) finds on any node
        global.send("billing", "invoice 42");            // global:send/2
        long total = global.trans(Global.LockId.of("ledger", node.name()),   // global:trans/2, locked cluster-wide
                () -> ledger.addAndGet(42));
        global.sync();                                   // global:sync/0: in step with every connected node
        // [end]
        return total == ledger.get() ? pid : null;
    }

    /** A process that waits for messages and ignores them. */
    static final class Worker extends Actor {
        @Override
        protected void handleMessage(Object message) {
        }
    }

    /** Answers each call with its request. */
    static final class Echo extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return request;
        }
    }
}
