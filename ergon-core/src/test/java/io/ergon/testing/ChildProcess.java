package io.ergon.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process a test started and talks to by lines: it keeps every line the process prints (stdout, and stderr if the
 * process was started with them merged), waits for a line with a deadline, and writes lines to its stdin.
 * {@link #close()} closes its stdin (the children of these tests exit then) and kills it if it does not exit.
 */
public final class ChildProcess implements AutoCloseable {
    private final String label;
    private final Process process;
    private final Writer stdin;
    private final List<String> lines = new ArrayList<>();

    private ChildProcess(String label, Process process) {
        this.label = label;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofVirtual().start(() -> {
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
                // the process is gone
            }
        });
    }

    /** Follows {@code process}'s output; {@code label} names it in error messages. */
    public static ChildProcess of(String label, Process process) {
        return new ChildProcess(label, process);
    }

    /** The process. */
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
     * The first line, from the {@code from}-th on, that matches, waiting up to {@code timeout} for it.
     *
     * @throws IllegalStateException if none comes in time or the process exits first (with its output)
     */
    public String awaitLine(int from, Predicate<String> match, Duration timeout) {
        return lineWithin(from, match, timeout).orElseThrow(() -> new IllegalStateException(label
                + (process.isAlive() ? " did not print the line expected within " + timeout : " exited")
                + "; its output:\n" + String.join("\n", lines())));
    }

    /**
     * The first line, from the {@code from}-th on, that matches, if one comes within {@code timeout} (and before the
     * process exits): for a line that must not come, empty after the whole wait.
     */
    public java.util.Optional<String> lineWithin(int from, Predicate<String> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int i = from;
            while (true) {
                for (; i < lines.size(); i++) {
                    if (match.test(lines.get(i))) {
                        return java.util.Optional.of(lines.get(i));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && i == lines.size() && !waitForLast())) {
                    return java.util.Optional.empty();
                }
                try {
                    lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** The first matching line of all, waiting up to {@code timeout}. */
    public String awaitLine(Predicate<String> match, Duration timeout) {
        return awaitLine(0, match, timeout);
    }

    /** After the process exited, its last lines may still be on their way: one more short wait for them. */
    private boolean waitForLast() {
        int before = lines.size();
        try {
            lines.wait(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lines.size() > before;
    }

    /** Writes a line to the process's stdin. */
    public void send(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write to " + label + ": " + e.getMessage(), e);
        }
    }

    /** Closes stdin, waits up to 15 s for the process to exit, then kills it. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // gone already
        }
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
