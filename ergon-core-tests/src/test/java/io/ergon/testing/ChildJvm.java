package io.ergon.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a test's main class in a JVM of its own, on this JVM's class path, and waits for it to print READY. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Starts {@code main} with {@code args}; returns once it printed a line starting with READY (within 30 s).
     *
     * @throws IOException if it exited or did not get ready in time (it is killed then), with what it printed
     */
    public static Process launch(Class<?> main, String... args) throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        var ready = new CompletableFuture<Void>();
        StringBuffer seen = new StringBuffer();
        Thread.ofVirtual().start(() -> {
            try (var out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line;
                while ((line = out.readLine()) != null) {
                    seen.append(line).append('\n');
                    if (line.startsWith("READY")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException ignored) {
                // the child is gone
            }
            ready.completeExceptionally(new IOException("the child exited"));
        });
        try {
            ready.get(30, TimeUnit.SECONDS);
            return p;
        } catch (Exception e) {
            p.destroyForcibly();
        }
        throw new IOException("the child JVM " + main.getSimpleName() + " did not start; it said:\n" + seen);
    }
}
