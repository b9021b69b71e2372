package io.ergon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A child JVM started through a launcher: the launcher's command runs the JVM, whose pid is the process's. */
class ChildJvmTest {
    /** Prints {@code READY} and what the launcher put in its environment, then echoes lines until stdin closes. */
    public static final class Echo {
        public static void main(String[] args) throws Exception {
            System.out.println("READY " + System.getenv("CHILD_JVM_MARK") + " " + ProcessHandle.current().pid());
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
            String line;
            while ((line = in.readLine()) != null) {
                System.out.println("ECHO " + line);
            }
        }
    }

    @Test
    void aLauncherRunsTheJvm() throws Exception {
        try (ChildJvm child = ChildJvm.start(List.of("env", "CHILD_JVM_MARK=launched"), Echo.class,
                Duration.ofSeconds(60))) {
            String ready = child.awaitLine(0, l -> l.startsWith("READY"), Duration.ofSeconds(10));
            assertThat(ready).isEqualTo("READY launched " + child.pid());
            child.send("hello");
            assertThat(child.awaitLine(0, l -> l.startsWith("ECHO"), Duration.ofSeconds(10))).isEqualTo("ECHO hello");
        }
    }

    /** Prints a system property and exits with the status given as its argument. */
    public static final class Exits {
        public static void main(String[] args) {
            System.out.println("mark=" + System.getProperty("child.mark"));
            System.exit(Integer.parseInt(args[0]));
        }
    }

    @Test
    void jvmOptionsReachTheChildAndItsExitStatusAndLastLinesAreKept() throws Exception {
        ChildJvm.Options options = ChildJvm.Options.defaults().jvmOptions("-Dchild.mark=set").readyWhen(null);
        try (ChildJvm child = ChildJvm.start(options, Exits.class, Duration.ofSeconds(60), "3")) {
            assertThat(child.awaitExit(Duration.ofSeconds(60))).isEqualTo(3);
            assertThat(child.lines()).containsExactly("mark=set");
        }
    }
}
