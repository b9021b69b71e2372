package io.ergon.cli.demo;

import io.ergon.etf.RecordRegistry;
import io.ergon.gen.GenServer;
import io.ergon.net.EpmdServer;
import io.ergon.node.Actor;
import io.ergon.node.From;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The distribution act of {@code ergon demo}: two Ergon nodes exchange a message and a call over Erlang's
 * distribution protocol; then, if {@code erl} is installed, an Erlang node joins: each side pings the other and
 * calls a gen_server on the other.
 */
public final class DistributionDemo {
    private static final String COOKIE = "ergon-demo";
    private static final String ERLANG_MODULE = String.join("\n",
            "-module(ergon_demo).",
            "-behaviour(gen_server).",
            "-export([main/1, init/1, handle_call/3, handle_cast/2]).",
            "main(JavaNode) ->",
            "    io:format(\"erlang: net_adm:ping(~s) -> ~p~n\", [JavaNode, net_adm:ping(JavaNode)]),",
            "    Reply = gen_server:call({greeter, JavaNode}, {greet, <<\"Erlang\">>}),",
            "    io:format(\"erlang: gen_server:call({greeter, ~s}, {greet, <<\\\"Erlang\\\">>}) -> ~p~n\",",
            "              [JavaNode, Reply]),",
            "    {ok, _} = gen_server:start({local, erl_greeter}, ?MODULE, [], []),",
            "    register(ergon_demo_main, self()),",
            "    io:format(\"erlang: ready~n\"),",
            "    receive stop -> ok after 30000 -> ok end,",
            "    halt().",
            "init([]) -> {ok, 0}.",
            "handle_call({greet, Name}, _From, N) -> {reply, <<\"Hello \", Name/binary, \" from Erlang\">>, N + 1}.",
            "handle_cast(_, N) -> {noreply, N}.");

    private final PrintStream out;

    public DistributionDemo(PrintStream out) {
        this.out = out;
    }

    /** Prints what it receives, then stops. */
    static final class Listener extends Actor {
        private final PrintStream out;

        Listener(PrintStream out) {
            this.out = out;
        }

        @Override
        protected void handleMessage(Object message) {
            out.println("      listener on " + node().name() + " received " + TermFormat.format(message));
        }
    }

    /** Greets over the wire. */
    static final class Greeter extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            if (request instanceof LocalDemo.Greet(String name)) {
                return "Hello " + name + " from " + node().name();
            }
            throw new IllegalArgumentException("unknown request " + request);
        }
    }

    public void run() throws Exception {
        out.println("== Act 3: nodes talking over Erlang's distribution protocol ==");
        RecordRegistry.global().register(LocalDemo.Greet.class);
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            NodeOptions options = NodeOptions.defaults().distributed(true).cookie(COOKIE).epmdPort(epmd.port())
                    .listenAddress(InetAddress.getLoopbackAddress());
            out.println("  1. An EPMD (Erlang's port mapper) on port " + epmd.port()
                    + "; two distributed nodes register with it.");
            try (Node a = Node.start("demo_a@localhost", options); Node b = Node.start("demo_b@localhost", options)) {
                b.spawnRegister("listener", () -> new Listener(out));
                a.spawnRegister("greeter", Greeter::new);
                out.println("  2. demo_a sends {hello, from_a} to {listener, demo_b@localhost}; the first message "
                        + "connects the nodes:");
                a.send(Name.of("listener", "demo_b@localhost"), Tuple.of(Atom.of("hello"), Atom.of("from_a")));
                waitFor(() -> !b.nodes().isEmpty());
                Thread.sleep(100);
                Object reply = b.call(Name.of("greeter", "demo_a@localhost"), new LocalDemo.Greet("demo_b"),
                        Duration.ofSeconds(5));
                out.println("  3. demo_b calls {greeter, demo_a@localhost} with Greet(\"demo_b\") (a record that "
                        + "travels as {greet, <<\"demo_b\">>}):");
                out.println("      reply (a String travels as a UTF-8 binary): " + ((Binary) reply).utf8());
                out.println("     connected: demo_a sees " + a.nodes() + ", demo_b sees " + b.nodes());
                erlangJoins(a, epmd.port());
            }
        }
        out.println();
    }

    private void erlangJoins(Node a, int epmdPort) throws Exception {
        if (!erlInstalled()) {
            out.println("  4. 'erl' is not on the PATH, so no Erlang node joins this time "
                    + "(apt-get install erlang-nox to see it).");
            return;
        }
        out.println("  4. An Erlang/OTP node joins (erl -sname demo_erl@localhost):");
        Path dir = Files.createTempDirectory("ergon-demo");
        Files.writeString(dir.resolve("ergon_demo.erl"), ERLANG_MODULE);
        String eval = "{ok, ergon_demo} = compile:file(\"" + dir.resolve("ergon_demo") + "\", [{outdir, \"" + dir
                + "\"}]), code:add_patha(\"" + dir + "\"), ergon_demo:main('demo_a@localhost').";
        ProcessBuilder pb = new ProcessBuilder("erl", "-sname", "demo_erl@localhost", "-setcookie", COOKIE,
                "-noshell", "-start_epmd", "false", "-kernel", "inet_dist_use_interface", "{127,0,0,1}",
                "-eval", eval).redirectErrorStream(true);
        pb.environment().put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        Process erl = pb.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(erl.getInputStream(),
                    StandardCharsets.UTF_8))) {
                r.lines().forEach(lines::add);
            } catch (IOException ignored) {
                // erl ended
            }
        });
        try {
            String line;
            while ((line = lines.poll(30, TimeUnit.SECONDS)) != null && !line.contains("erlang: ready")) {
                out.println("      " + line);
            }
            if (line == null) {
                out.println("      (the Erlang node did not get ready in time)");
                return;
            }
            out.println("      java: ping(demo_erl@localhost) -> " + (a.ping("demo_erl@localhost") ? "pong" : "pang"));
            Object fromErlang = a.call(Name.of("erl_greeter", "demo_erl@localhost"),
                    Tuple.of(Atom.of("greet"), Binary.of("Java")), Duration.ofSeconds(5));
            out.println("      java: call({erl_greeter, demo_erl@localhost}, {greet, <<\"Java\">>}) -> "
                    + ((Binary) fromErlang).utf8());
            a.send(Name.of("ergon_demo_main", "demo_erl@localhost"), Atom.of("stop"));
            erl.waitFor(10, TimeUnit.SECONDS);
        } finally {
            erl.destroy();
            erl.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** True if {@code erl} is on the PATH. */
    public static boolean erlInstalled() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(":")) {
            if (Files.isExecutable(Path.of(d, "erl"))) {
                return true;
            }
        }
        return false;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
