package io.ergon.net;

import io.ergon.etf.RecordRegistry;
import io.ergon.gen.GenServer;
import io.ergon.node.Actor;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeConnectException;
import io.ergon.node.NodeDown;
import io.ergon.node.NodeOptions;
import io.ergon.node.NodeStats;
import io.ergon.node.NodeUp;
import io.ergon.node.TlsOptions;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import io.ergon.testing.TestPeer;
import io.ergon.testing.TestAgent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An Ergon node in a JVM of its own on a namespace host, for the multi-host tests:
 * {@code HostNodeMain NAME COOKIE PORT TICKTIME_MS OPTFILE|plain [BUSY_LIMIT]} starts {@code NAME} (a long name whose
 * host is this host's name) without EPMD on {@code PORT} (every node of these tests listens on the same port, each on
 * its own host), with TLS from an Erlang {@code ssl_dist_optfile} unless {@code plain}, with that
 * {@link NodeOptions#distBufferBusyLimit} in bytes if given, serves what
 * {@link TestPeer#serve} serves plus {@code sink} (takes calls, never answers), {@code drain} (takes
 * messages, drops them), {@code printer} (prints {@code GOT MESSAGE} for each) and the rpc functions
 * {@code ft:global_register/1}, {@code ft:global_whereis/1}, {@code ft:pg_join/1} and {@code ft:pg_members/1} (of
 * the default scope), and prints
 * {@code READY NAME}. It prints {@code NODEUP NODE MILLIS} and {@code NODEDOWN NODE MILLIS} (wall clock) as nodes come
 * and go, and obeys one command per stdin line (answers below) until stdin closes:
 * <ul>
 *   <li>{@code connect NODE}: {@code CONNECTED NODE} or {@code NOT_CONNECTED NODE REASON};
 *   <li>{@code contracts ERGON_PEER ERLANG_PEER}: runs {@link AcrossHosts}'s contracts, prints
 *       {@code CONTRACT_FAILED ...} per failure and {@code CONTRACTS RUN FAILED};
 *   <li>{@code calls PEER MILLIS CALLERS}: calls to the peer's {@code echo} from that many callers, each waiting
 *       for its answer, for that long: {@code CALLS COUNT ELAPSED_MS};
 *   <li>{@code stream PEER COUNT}: that many numbers to a counter on the peer, which checks their order:
 *       {@code STREAM COUNT ELAPSED_MS in_order} (or {@code STREAM_FAILED REASON});
 *   <li>{@code flood PEER MILLIS BYTES}: one process sends binaries of that size to the peer's {@code drain} as fast
 *       as it may for that long: {@code FLOOD sent=N queued_max=Q busy_waits=W elapsed_ms=T}, where {@code Q} is the
 *       most messages seen queued for the peer (sent, not yet written) at once.
 * </ul>
 */
public final class HostNodeMain {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private HostNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        RecordRegistry.global().register(TestAgent.Greeting.class);
        String name = args[0];
        InetAddress host = InetAddress.getByName(name.substring(name.indexOf('@') + 1));
        // the setup time as the Erlang node's (NamespaceCluster.startErlang): a cold JVM's first TLS handshakes
        NodeOptions options = NodeOptions.defaults().distributed(true).cookie(args[1])
                .epmdless(Integer.parseInt(args[2])).listenAddress(host)
                .netTickTime(Duration.ofMillis(Long.parseLong(args[3]))).setupTime(Duration.ofSeconds(20));
        if (!args[4].equals("plain")) {
            options = options.tls(TlsOptions.fromErlangOptFile(Path.of(args[4])));
        }
        if (args.length > 5) {
            options = options.distBufferBusyLimit(Long.parseLong(args[5]));
        }
        try (Node node = Node.start(name, options)) {
            serve(node);
            System.out.println("READY " + node.name());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                try {
                    obey(node, line.trim().split("\\s+"));
                } catch (RuntimeException e) {
                    System.out.println("COMMAND_FAILED " + line + ": " + e);
                }
            }
        }
        System.exit(0);
    }

    private static void serve(Node node) {
        TestPeer.serve(node);
        Global.of(node);
        Pg.startScope(node, Pg.DEFAULT_SCOPE);
        node.spawnRegister("sink", Sink::new);
        node.spawnRegister("drain", () -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                // dropped: the flood measures the sender and the link, not this end
            }
        });
        node.spawnRegister("printer", () -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                System.out.println("GOT " + message);
            }
        });
        Rpc.of(node).register("ft", "global_register", 1, a -> {
            Pid holder = node.spawn(Idle::new);
            return Global.of(node).register(a.get(0), holder) ? holder : Atom.of("taken");
        }).register("ft", "pg_join", 1, a -> {
            Pid member = node.spawn(Idle::new);
            Pg.of(node).join(a.get(0), member);
            return member;
        }).register("ft", "global_whereis", 1, a -> {
            Pid pid = Global.of(node).whereis(a.get(0));
            return pid == null ? Atom.of("undefined") : pid;
        }).register("ft", "pg_members", 1, a -> Pg.of(node).members(a.get(0)));
        Pid watcher = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                switch (message) {
                    case NodeUp up -> System.out.println("NODEUP " + up.node().name() + " " + now());
                    case NodeDown down -> System.out.println("NODEDOWN " + down.node().name() + " " + now());
                    default -> {
                    }
                }
            }
        });
        node.watchNodes(watcher, true);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static void obey(Node node, String[] cmd) throws Exception {
        switch (cmd[0]) {
            case "connect" -> {
                try {
                    node.connectOrThrow(cmd[1]);
                    System.out.println("CONNECTED " + cmd[1]);
                } catch (NodeConnectException e) {
                    System.out.println("NOT_CONNECTED " + cmd[1] + " " + e.reason());
                }
            }
            case "contracts" -> {
                AcrossHosts.Outcome outcome = AcrossHosts.runContracts(node, cmd[1], cmd[2]);
                outcome.failures().forEach(f -> System.out.println("CONTRACT_FAILED " + f.replace('\n', ' ')));
                System.out.println("CONTRACTS " + outcome.run() + " " + outcome.failures().size());
            }
            case "calls" -> calls(node, cmd[1], Long.parseLong(cmd[2]), Integer.parseInt(cmd[3]));
            case "stream" -> stream(node, cmd[1], Long.parseLong(cmd[2]));
            case "flood" -> flood(node, cmd[1], Long.parseLong(cmd[2]), Integer.parseInt(cmd[3]));
            default -> System.out.println("COMMAND_FAILED unknown command " + cmd[0]);
        }
    }

    private static void calls(Node node, String peer, long millis, int callers) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long end = start + millis * 1_000_000;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (Mailbox box = node.mailbox()) {
                    for (long i = 0; System.nanoTime() < end; i++) {
                        Tuple request = Tuple.of(Atom.of("n"), i);
                        if (!request.equals(box.call(Name.of("echo", peer), request, WAIT))) {
                            throw new IllegalStateException("a wrong answer to " + request);
                        }
                        done.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join(millis + WAIT.toMillis());
        }
        System.out.println("CALLS " + done.get() + " " + (System.nanoTime() - start) / 1_000_000);
    }

    private static void stream(Node node, String peer, long count) {
        try (Mailbox box = node.mailbox()) {
            box.call(Name.of("agent", peer), Tuple.of(Atom.of("count_in_order"), count, box.pid()), WAIT);
            Name counter = Name.of("counter", peer);
            long start = System.nanoTime();
            for (long i = 1; i <= count; i++) {
                box.send(counter, i);
            }
            Object verdict = box.receive(Duration.ofSeconds(60));
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (Tuple.of(Atom.of("all_in_order"), count).equals(verdict)) {
                System.out.println("STREAM " + count + " " + ms + " in_order");
            } else {
                System.out.println("STREAM_FAILED " + verdict);
            }
        }
    }

    private static void flood(Node node, String peer, long millis, int bytes) throws InterruptedException {
        AtomicLong sent = new AtomicLong();
        Binary payload = Binary.of(new byte[bytes]);
        Name drain = Name.of("drain", peer);
        long before = messagesOut(node, peer);
        long start = System.nanoTime();
        long end = start + millis * 1_000_000;
        node.spawn(() -> new Actor() {
            @Override
            protected void init() {
                send(self(), Atom.of("go"));
            }

            @Override
            protected void handleMessage(Object message) {
                while (System.nanoTime() < end) {
                    send(drain, payload);
                    sent.incrementAndGet();
                }
                stop(io.ergon.node.Reasons.NORMAL);
            }
        });
        long queuedMax = 0;
        while (System.nanoTime() < end) {
            queuedMax = Math.max(queuedMax, sent.get() - (messagesOut(node, peer) - before));
            Thread.sleep(20); // a sampling period, not a wait for something to happen
        }
        NodeStats.Connection c = connection(node, peer);
        System.out.println("FLOOD sent=" + sent.get() + " queued_max=" + queuedMax + " busy_waits="
                + (c == null ? 0 : c.busyWaits()) + " elapsed_ms=" + (System.nanoTime() - start) / 1_000_000);
    }

    private static long messagesOut(Node node, String peer) {
        NodeStats.Connection c = connection(node, peer);
        return c == null ? 0 : c.messagesOut();
    }

    private static NodeStats.Connection connection(Node node, String peer) {
        return node.stats().connections().stream().filter(c -> c.peer().name().equals(peer)).findFirst()
                .orElse(null);
    }

    /** Takes every call and never answers: a caller waits until its timeout, or until the connection goes. */
    static final class Sink extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return noReply();
        }
    }

    /** A process that only waits: a holder of global names and pg memberships. */
    static final class Idle extends Actor {
        @Override
        protected void handleMessage(Object message) {
            // nothing to do
        }
    }
}
