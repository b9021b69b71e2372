package io.ergon.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test's main class run in a JVM of its own, on this JVM's class path (a node that a test can kill with
 * {@code kill -9}, or stop with {@code SIGSTOP}, as a crashed or hung host). It keeps every line the child prints
 * (stdout and stderr merged), waits for a line with a deadline, and writes lines to its stdin. {@link #close()}
 * closes its stdin (a child written for it exits then) and kills it if it has not exited 5 s later.
 */
public final class ChildJvm implements AutoCloseable {
    private final String label;
    private final Process process;
    private final Writer stdin;
    private final List<String> lines = new ArrayList<>();
    private final Thread follower;

    private ChildJvm(String label, Process process) {
        this.label = label;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.follower = Thread.ofVirtual().name("child-jvm-output-" + label).start(this::follow);
    }

    /**
     * How a child JVM starts: through a launcher or not, with which JVM options, and which line says it is ready
     * ({@code READY ...} unless told).
     *
     * @param launcher a command prefix that runs {@code java} elsewhere (such as {@code ip netns exec NAMESPACE}, for
     *     a JVM on a host that is a network namespace); it must exec the command, so that the pid is the JVM's
     * @param jvmOptions options before the main class, e.g. {@code -Xmx256m} or {@code -Dname=value}
     * @param ready the line {@link #start} waits for; null to return as soon as the JVM is started
     */
    public record Options(List<String> launcher, List<String> jvmOptions, Predicate<String> ready) {
        public Options {
            launcher = List.copyOf(launcher);
            jvmOptions = List.copyOf(jvmOptions);
        }

        /** No launcher, no JVM options, ready at a line starting with {@code READY}. */
        public static Options defaults() {
            return new Options(List.of(), List.of(), l -> l.startsWith("READY"));
        }

        public Options launcher(List<String> prefix) {
            return new Options(prefix, jvmOptions, ready);
        }

        public Options jvmOptions(String... options) {
            return new Options(launcher, List.of(options), ready);
        }

        /** Ready at the first line {@code line} accepts; null for no wait at all. */
        public Options readyWhen(Predicate<String> line) {
            return new Options(launcher, jvmOptions, line);
        }
    }

    /**
     * Starts {@code main} with {@code args} and returns once it has printed a line starting with {@code READY}.
     *
     * @throws IOException if it exits first or is not ready within {@code timeout} (it is killed then), with what
     *     it printed
     */
    public static ChildJvm start(Class<?> main, Duration timeout, String... args) throws IOException {
        return start(Options.defaults(), main, timeout, args);
    }

    /** The same, the {@code java} command run through {@code launcher} (see {@link Options#launcher}). */
    public static ChildJvm start(List<String> launcher, Class<?> main, Duration timeout, String... args)
            throws IOException {
        return start(Options.defaults().launcher(launcher), main, timeout, args);
    }

    /** Starts {@code main} with {@code args} as {@code options} say, and returns once it is ready. */
    public static ChildJvm start(Options options, Class<?> main, Duration timeout, String... args)
            throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(options.launcher());
        command.addAll(List.of(javaBin, "--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        command.addAll(options.jvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ChildJvm child = new ChildJvm(main.getSimpleName(), new ProcessBuilder(command).redirectErrorStream(true)
                .start());
        if (options.ready() != null && child.lineWithin(0, options.ready(), timeout).isEmpty()) {
            child.kill();
            throw new IOException(main.getSimpleName() + " did not get ready within " + timeout + "; it printed:\n"
                    + String.join("\n", child.lines()));
        }
        return child;
    }

    private void follow() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // the child is gone
        } finally {
            synchronized (lines) {
                lines.notifyAll();
            }
        }
    }

    /** The operating system's process id, e.g. for {@code kill -STOP}. */
    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Every line printed so far. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /**
     * The first line from the {@code from}-th on that {@code match} accepts, if one comes within {@code timeout}
     * and before the child's output ends.
     */
    public Optional<String> lineWithin(int from, Predicate<String> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int i = from;
            while (true) {
                for (; i < lines.size(); i++) {
                    if (match.test(lines.get(i))) {
                        return Optional.of(lines.get(i));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && outputEnded()) {
                    return Optional.empty();
                }
                try {
                    lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
    }

    /** The first matching line from the {@code from}-th on; fails, with the child's output, if none comes in time. */
    public String awaitLine(int from, Predicate<String> match, Duration timeout) {
        return lineWithin(from, match, timeout).orElseThrow(() -> new AssertionError(label
                + (process.isAlive() ? " did not print the line expected within " + timeout : " exited")
                + "; its output:\n" + String.join("\n", lines())));
    }

    private boolean outputEnded() {
        try {
            return process.getInputStream().available() == 0;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Waits for the child to exit and for the last of its output, and gives its exit status; fails, with its output,
     * if it has not exited within {@code timeout} (it is killed then).
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError(label + " did not exit within " + timeout + "; its output:\n"
                    + String.join("\n", lines()));
        }
        follower.join(Duration.ofSeconds(10));
        return process.exitValue();
    }

    /** Writes {@code line} to the child's stdin. */
    public void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Kills the child at once (SIGKILL), as a crash would, and waits for it to be gone. */
    public void kill() {
        ChildEnd.kill(process);
    }

    @Override
    public void close() {
        ChildEnd.close(process, stdin);
    }

    @Override
    public String toString() {
        return "ChildJvm[" + label + ", pid " + pid() + "]";
    }
}
