package io.ergon.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real Erlang/OTP node started by a test: {@code erl -sname NAME@localhost} with the test's cookie and EPMD port
 * (a {@link TestCluster} gives both, with an EPMD of the test's own), distribution bound to 127.0.0.1, no EPMD of
 * its own, and {@code net_setuptime} 20 s unless the test gives one (a loaded machine's TLS set-ups outlast
 * Erlang's 7). {@link #assumeAvailable()} skips a test, with a message, where Erlang is not installed. It runs a
 * small read-eval-print loop on stdin, so a test
 * evaluates Erlang expressions on it with {@link #eval(String)} and gets the {@code ~w} rendering of the value.
 * Each line is evaluated with fresh bindings (variables do not carry over: keep state in registered processes),
 * always by the same Erlang process.
 *
 * <p>Only the process this class started is ever stopped, through its own handle.
 */
public final class ErlangNode implements AutoCloseable {
    /**
     * How long a node's boot and a module's compilation may take: 60 s, as for a child JVM. At load 20 a TLS node's
     * boot, and the compiler's first run, took more than the 30 s an expression gets.
     */
    private static final Duration SLOW_STEP = Duration.ofSeconds(60);
    private static final String REPL = String.join("",
            "R = fun R() -> case io:get_line('') of eof -> halt(); L -> ",
            "Out = try {ok, T, _} = erl_scan:string(L), {ok, Es} = erl_parse:parse_exprs(T), ",
            "{value, V, _} = erl_eval:exprs(Es, erl_eval:new_bindings()), io_lib:format(\"@@ok ~w\", [V]) ",
            "catch C:E -> io_lib:format(\"@@error ~w:~w\", [C, E]) end, ",
            "io:put_chars([Out, $\\n]), R() end end, R().");

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();

    private ErlangNode(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the node went away
            }
        });
    }

    /** True if {@code erl} is on the PATH. */
    public static boolean available() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, "erl"))) {
                return true;
            }
        }
        return false;
    }

    /** Skips the calling test, with a clear message, when Erlang is not installed. */
    public static void assumeAvailable() {
        assumeTrue(available(), "Erlang/OTP is not installed (no 'erl' on the PATH): skipping this interop test; "
                + "install it with 'apt-get install erlang-nox' to run it");
    }

    /**
     * Starts {@code erl -sname alive@localhost} and waits until it evaluates expressions.
     *
     * @param extraArgs more {@code erl} arguments (e.g. {@code -kernel net_ticktime 4})
     */
    public static ErlangNode start(String alive, String cookie, int epmdPort, String... extraArgs) throws IOException {
        return start(HERE, "-sname", alive + "@localhost", "{127,0,0,1}", cookie, epmdPort, extraArgs);
    }

    /**
     * Starts {@code erl -name alive@ADDRESS} (a long name whose host is an IPv4 address of this machine, such as
     * {@code 127.0.0.1}), its distribution bound to that address, and waits until it evaluates expressions.
     */
    public static ErlangNode startLongName(String alive, String address, String cookie, int epmdPort,
                                           String... extraArgs) throws IOException {
        return start(HERE, "-name", alive + "@" + address, "{" + address.replace('.', ',') + "}", cookie, epmdPort,
                extraArgs);
    }

    /**
     * Starts {@code erl -name FULL_NAME}, its distribution bound to {@code distInterface} (an Erlang address tuple:
     * {@code {0,0,0,0,0,0,0,1}} with {@code -proto_dist inet6_tcp} among {@code extraArgs} for IPv6), and waits until
     * it evaluates expressions.
     */
    public static ErlangNode startNamed(String fullName, String distInterface, String cookie, int epmdPort,
                                        String... extraArgs) throws IOException {
        return start(HERE, "-name", fullName, distInterface, cookie, epmdPort, extraArgs);
    }

    /**
     * Starts {@code erl -name alive@host} through {@code launcher} (a command prefix, such as
     * {@code ip netns exec NS} to run it on a namespace host), its distribution bound to {@code address} (IPv4), and
     * waits until it evaluates expressions.
     */
    public static ErlangNode startLongName(List<String> launcher, String alive, String host, String address,
                                           String cookie, int epmdPort, String... extraArgs) throws IOException {
        return start(Launcher.prefixed(launcher), "-name", alive + "@" + host, "{" + address.replace('.', ',') + "}",
                cookie, epmdPort, extraArgs);
    }

    /** Starts a command with extra environment variables, stdout and stderr merged (e.g. in a network namespace). */
    @FunctionalInterface
    public interface Launcher {
        Process start(List<String> command, java.util.Map<String, String> env) throws IOException;

        /** Starts commands behind {@code prefix} (such as {@code ip netns exec NS}) on this machine. */
        static Launcher prefixed(List<String> prefix) {
            return (command, env) -> {
                List<String> full = new ArrayList<>(prefix);
                full.addAll(command);
                return HERE.start(full, env);
            };
        }
    }

    /** Starts commands on this machine, in this JVM's network namespace. */
    public static final Launcher HERE = (command, env) -> {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        return pb.start();
    };

    /**
     * Starts {@code erl NAMEFLAG FULLNAME} through {@code launcher}, its distribution bound to {@code distInterface}
     * (Erlang's syntax, e.g. {@code {10,1,2,3}}), and waits until it evaluates expressions.
     *
     * @param nameFlag {@code -sname} or {@code -name}
     */
    public static ErlangNode start(Launcher launcher, String nameFlag, String fullName, String distInterface,
                                   String cookie, int epmdPort, String... extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("erl", nameFlag, fullName, "-setcookie", cookie,
                "-noshell", "-start_epmd", "false", "-kernel", "inet_dist_use_interface", distInterface));
        if (!List.of(extraArgs).contains("net_setuptime")) {
            // 20 s, not Erlang's 7: TLS connections set up on a machine at load 16-20 took longer, and the pings
            // that made them said pang. A refused handshake still fails at once.
            cmd.addAll(List.of("-kernel", "net_setuptime", "20"));
        }
        cmd.addAll(List.of(extraArgs));
        cmd.addAll(List.of("-eval", REPL));
        ErlangNode node = new ErlangNode(fullName,
                launcher.start(cmd, java.util.Map.of("ERL_EPMD_PORT", Integer.toString(epmdPort))));
        return node.awaitReady();
    }

    /**
     * Talks to {@code process}, already started, that speaks this class's line protocol: it reads one expression
     * a line and answers {@code @@ok VALUE} or {@code @@error CLASS:REASON} (a Java stand-in for an Erlang node
     * in a test, say), and answers {@code node().} with {@code name}. Waits until it does.
     */
    public static ErlangNode attach(String name, Process process) throws IOException {
        return new ErlangNode(name, process).awaitReady();
    }

    private ErlangNode awaitReady() throws IOException {
        ErlangNode node = this;
        try {
            String alive2 = node.eval("node().", SLOW_STEP);
            if (!alive2.equals("'" + node.name + "'") && !alive2.equals(node.name)) {
                throw new IOException("erl started as " + alive2 + ", not " + node.name);
            }
        } catch (RuntimeException | IOException e) {
            node.close();
            throw new IOException(name + " did not start: " + e.getMessage() + "; its output: " + node.output(), e);
        }
        return node;
    }

    /** The node's name, {@code alive@localhost} (or {@code alive@ADDRESS} for a long name). */
    public String name() {
        return name;
    }

    /** Evaluates Erlang expressions (one line, ending with a dot) and returns the value's {@code ~w} rendering. */
    public String eval(String expressions) {
        return eval(expressions, Duration.ofSeconds(30));
    }

    /**
     * Evaluates with a deadline.
     *
     * @throws IllegalStateException if evaluation raised (with Erlang's class and reason), or no answer came in time
     */
    public String eval(String expressions, Duration timeout) {
        if (expressions.contains("\n")) {
            throw new IllegalArgumentException("one line of Erlang, please");
        }
        try {
            stdin.write(expressions.endsWith(".") ? expressions + "\n" : expressions + ".\n");
            stdin.flush();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("no answer from " + name + " within " + timeout + " for: "
                            + expressions + "; its output: " + output());
                }
                int at = line.indexOf("@@");
                if (at < 0) {
                    continue;
                }
                String result = line.substring(at);
                if (result.startsWith("@@ok ")) {
                    return result.substring(5);
                }
                if (result.startsWith("@@error ")) {
                    throw new IllegalStateException(name + " raised " + result.substring(8) + " for: " + expressions);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot talk to " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Compiles and loads an Erlang module from source on this node.
     *
     * @param source the module's source; its {@code -module(...)} names the file
     */
    public void load(String source) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-module\\((\\w+)\\)").matcher(source);
        if (!m.find()) {
            throw new IllegalArgumentException("the source has no -module(...) attribute");
        }
        Path dir = Files.createTempDirectory("ergon-erl");
        Path file = dir.resolve(m.group(1) + ".erl");
        Files.writeString(file, source);
        String result = eval("compile:file(\"" + file + "\", [{outdir, \"" + dir + "\"}, return_errors]).",
                SLOW_STEP);
        if (!result.startsWith("{ok,")) {
            throw new IllegalStateException("compiling " + m.group(1) + " failed: " + result);
        }
        eval("code:add_patha(\"" + dir + "\"), code:load_file(" + m.group(1) + ").");
    }

    /** Compiles and loads a module from the class path's resources ({@code /erlang/NAME.erl}). */
    public void loadResource(String module) throws IOException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (var in = loader.getResourceAsStream("erlang/" + module + ".erl")) {
            if (in == null) {
                throw new IOException("no test resource /erlang/" + module + ".erl");
            }
            load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Pauses the node's OS process (SIGSTOP): it stops ticking, as a hung node would. */
    public void suspend() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** Resumes a suspended node (SIGCONT). */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String sig) throws IOException, InterruptedException {
        // erl is a shell script that execs beam: the process we started is the VM itself
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + sig + " " + process.pid() + " failed");
        }
    }

    /** Everything the node printed so far. */
    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** The OS process id, e.g. to kill it hard in a node-failure test. */
    public long pid() {
        return process.pid();
    }

    /** Kills the node at once (SIGKILL), as a crash would. */
    public void kill() {
        ChildEnd.kill(process);
    }

    /** Stops the node: asks it to halt, then kills it if it does not. */
    @Override
    public void close() {
        ChildEnd.close(process, stdin);
    }
}
