package io.ergon.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.term.Pid;
import io.ergon.testkit.LogCapture;
import org.junit.jupiter.api.Test;

class SupervisedWorkerTest {
    @Test
    void theWorkerCrashesIsRestartedAndTheLogShowsIt() {
        try (LogCapture log = LogCapture.of("io.ergon")) {
            Pid[] workers = SupervisedWorker.run();
            Pid first = workers[0];
            Pid second = workers[1];
            assertThat(second).isNotEqualTo(first);

            assertThat(log.messages()).containsSubsequence(
                    "worker " + first + " started",
                    "worker " + first + " got message: Hello!",
                    "worker " + first + " got 'crash': crashing",
                    "supervisor faulty_sup: child 'faulty' " + first
                            + " terminated: java.lang.IllegalStateException: worker asked to crash",
                    "worker " + second + " started",
                    "supervisor faulty_sup: started child 'faulty' as " + second);
            // the new worker may handle its message on another thread before the supervisor logs that it started it:
            // only the worker's own lines are ordered against each other
            assertThat(log.messages()).containsSubsequence(
                    "worker " + second + " started",
                    "worker " + second + " got message: Hello again!");
        }
    }
}
