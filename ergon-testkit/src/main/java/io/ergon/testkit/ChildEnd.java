package io.ergon.testkit;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.TimeUnit;

/** How a test's child process ends: at once, as a crash would, or by closing its stdin first. */
final class ChildEnd {
    private ChildEnd() {
    }

    /** Kills {@code process} at once (SIGKILL) and waits up to 10 s for it to be gone. */
    static void kill(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes {@code stdin} (the children of these tests exit then), and kills the process if it has not 5 s later. */
    static void close(Process process, Writer stdin) {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // it may be gone already
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                kill(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
        }
    }
}
