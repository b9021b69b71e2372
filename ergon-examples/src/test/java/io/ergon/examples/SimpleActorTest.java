package io.ergon.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.testkit.LogCapture;
import org.junit.jupiter.api.Test;

class SimpleActorTest {
    @Test
    void theActorLogsEveryMessageItReceivesInOrderThenItsEnd() {
        try (LogCapture log = LogCapture.of(SimpleActor.class.getName())) {
            SimpleActor.run();

            assertThat(log.messages()).hasSize(6);
            String pid = log.messages().get(0).substring("started process ".length());
            assertThat(log.messages()).containsExactly(
                    "started process " + pid,
                    pid + " got message: hello",
                    pid + " got message: Hello, World!",
                    pid + " got message: [1, 2, 3]",
                    pid + " got message: Greeting[name=Ada, age=36]",
                    pid + " terminated: shutdown");
        }
    }
}
