package io.ergon.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.testkit.LogCapture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of GenStatem, GenEvent and Pool do what their Javadoc says. */
class BehaviourExamplesTest {
    @Test
    void theCodeLockOpensOnTheCodeAndAPressWhileOpenWaitsUntilItLocks() {
        try (LogCapture log = LogCapture.of("io.ergon.examples")) {
            assertThat(CodeLock.run()).containsExactly("locked", "locked", "open", "locked");
            assertThat(log.messages()).filteredOn(m -> m.startsWith("lock ")).hasSize(3)
                    .allMatch(m -> m.endsWith("LOCKED") || m.endsWith("OPEN"));
        }
    }

    @Test
    void theBrokenAlarmHandlerIsTakenOutAndTheOthersCountEveryAlarm() {
        try (LogCapture log = LogCapture.of("io.ergon.examples")) {
            assertThat(Alarms.run()).isEqualTo(List.of(List.of("count", "log"), 3L));
            assertThat(log.messages()).contains("alarm: disk_full", "alarm: fan_stopped", "alarm: door_open");
        }
    }

    @Test
    void thePoolsThreeWorkersShareTwelveRequests() throws Exception {
        Map<String, Integer> byWorker = WorkerPool.run();
        assertThat(byWorker).hasSize(3);
        assertThat(byWorker.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);
    }
}
