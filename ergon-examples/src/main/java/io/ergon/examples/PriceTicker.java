package io.ergon.examples;

import io.ergon.etf.RecordRegistry;
import io.ergon.events.Event;
import io.ergon.events.EventDown;
import io.ergon.events.EventOptions;
import io.ergon.events.EventStart;
import io.ergon.events.EventStop;
import io.ergon.events.EventToken;
import io.ergon.events.Events;
import io.ergon.node.Actor;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.Reasons;
import io.ergon.node.TimerRef;
import io.ergon.term.Pid;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Ergo's events, in a price ticker: a producer publishes prices to the event {@code prices}, and subscribers on its
 * node and on another follow them. Run it with {@code ./ergon example price-ticker}.
 *
 * <ul>
 *   <li>The {@link Ticker} registers {@code prices} with a buffer of one (a new subscriber gets the latest price at
 *       once) and asks to be told when someone listens: it ticks only then, and pauses when the last one leaves.</li>
 *   <li>A dashboard on the ticker's node and a trader on the desk's node each follow a few prices and leave. The
 *       desk's node gets each price once, whoever subscribes there, and its relay hands it out.</li>
 *   <li>An auditor on the desk then joins (the ticker resumes), gets the latest price from the buffer, and sees the
 *       ticker's end: an {@link EventDown} with its exit reason.</li>
 * </ul>
 * {@link Price} is a record registered on both nodes, so it crosses as {@code {price, <<"ACME">>, Seq, Cents}} and
 * arrives typed.
 */
public final class PriceTicker {
    /** The event's name. */
    public static final String EVENT = "prices";
    /** The cookie both nodes share. */
    public static final String COOKIE = "ergon-example";

    private PriceTicker() {
    }

    /** One price: its symbol, the ticker's sequence number and the price in cents. */
    public record Price(String symbol, long seq, long cents) {
    }

    /** What a follower saw before it left. */
    public record Saw(String who, List<Price> prices) {
    }

    /** What the example saw: each follower's prices, the auditor's first price (the buffer's) and the end. */
    public record Outcome(Saw dashboard, Saw trader, Price latestOnJoin, List<Price> auditor, EventDown end) {
    }

    /** The producer: publishes a price every {@link #PERIOD} while anyone listens. */
    public static final class Ticker extends Actor {
        static final Duration PERIOD = Duration.ofMillis(20);

        private record Tick(long generation) {
        }

        private EventToken prices;
        private TimerRef next;
        private long generation;
        private long seq;

        @Override
        protected void init() {
            prices = Events.register(context(), EVENT, EventOptions.defaults().buffer(1).notifyProducer(true));
        }

        @Override
        protected void handleMessage(Object message) {
            switch (message) {
                case EventStart start -> {
                    log().info("ticker: someone listens, ticking");
                    tick();
                }
                case EventStop stop -> {
                    log().info("ticker: nobody listens, pausing after {} prices", seq);
                    next.cancel();
                    generation++;   // a tick already on its way is stale
                }
                case Tick(long g) when g == generation -> tick();
                default -> { }
            }
        }

        private void tick() {
            seq++;
            long cents = 10_000 + (seq * 37) % 200 - 100;
            Events.publish(context(), prices, new Price("ACME", seq, cents));
            next = sendAfter(self(), new Tick(generation), PERIOD);
        }
    }

    /** A subscriber: follows {@code prices} (on any node) until it has seen {@code wanted} of them, then leaves. */
    public static final class Follower extends Actor {
        private final String who;
        private final Name prices;
        private final int wanted;
        private final Pid report;
        private final List<Price> seen = new ArrayList<>();

        public Follower(String who, Name prices, int wanted, Pid report) {
            this.who = who;
            this.prices = prices;
            this.wanted = wanted;
            this.report = report;
        }

        @Override
        protected void init() {
            Events.subscribe(context(), prices).forEach(this::handleMessage);   // the latest price, if any
        }

        @Override
        protected void handleMessage(Object message) {
            if (message instanceof Event(Name event, Price price)) {
                seen.add(price);
                log().info("{} on {}: {} {} at {}.{}", who, node().name(), price.symbol(), price.seq(),
                        price.cents() / 100, String.format("%02d", price.cents() % 100));
                if (seen.size() == wanted) {
                    Events.unsubscribe(context(), prices);
                    send(report, new Saw(who, List.copyOf(seen)));
                    stop(Reasons.NORMAL);
                }
            }
        }
    }

    public static void main(String[] args) {
        Outcome o = run(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        System.out.println("The dashboard saw " + o.dashboard().prices().size() + " prices and the trader "
                + o.trader().prices().size() + ", each in the ticker's order; the auditor joined at price "
                + o.latestOnJoin().seq() + " and saw the ticker end: " + o.end().reason() + ".");
    }

    static NodeOptions options(int epmdPort, RecordRegistry records) {
        return NodeOptions.defaults().distributed(true).cookie(COOKIE).epmdPort(epmdPort)
                .listenAddress(InetAddress.getLoopbackAddress()).records(records);
    }

    /**
     * Runs the story on two nodes in this process, with EPMD on {@code epmdPort} (0: its usual port; the first node
     * starts one if none answers).
     */
    public static Outcome run(int epmdPort) {
        RecordRegistry records = new RecordRegistry().register(Price.class);
        Duration wait = Duration.ofSeconds(10);
        try (Node ticker = Node.start("ticker@localhost", options(epmdPort, records));
             Node desk = Node.start("desk@localhost", options(epmdPort, records));
             Mailbox board = ticker.mailbox();
             Mailbox auditor = desk.mailbox()) {
            Pid producer = ticker.spawnRegister("ticker", Ticker::new);
            Name prices = Name.of(EVENT, "ticker@localhost");
            ticker.spawn(() -> new Follower("dashboard", prices, 10, board.pid()));
            desk.spawn(() -> new Follower("trader", prices, 5, auditor.pid()));
            Saw dashboard = (Saw) board.receive(m -> m instanceof Saw, wait);
            Saw trader = (Saw) auditor.receive(m -> m instanceof Saw, wait);

            // both left, so the ticker paused; the auditor's subscription wakes it, with the latest price at once
            Price latest = (Price) Events.subscribe(auditor, prices).getFirst().message();
            List<Price> audited = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                audited.add((Price) ((Event) auditor.receive(m -> m instanceof Event, wait)).message());
            }
            ticker.exit(producer, Reasons.SHUTDOWN);
            EventDown end = (EventDown) auditor.receive(m -> m instanceof EventDown, wait);
            return new Outcome(dashboard, trader, latest, audited, end);
        }
    }
}
