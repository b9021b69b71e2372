package io.ergon.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Node;
import io.ergon.term.Pid;
import io.ergon.testkit.ErgonExtension;
import io.ergon.testkit.TestProbe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The code lock on manual time: it stays open exactly {@link CodeLock#OPEN_FOR}, however slow the machine is. */
class CodeLockTest {
    @RegisterExtension
    final ErgonExtension ergon = ErgonExtension.create().manualTime();

    @Test
    void aPressWhileOpenWaitsUntilTheLockClosesByItself(Node node) throws Exception {
        Pid lock = node.spawn(() -> new CodeLock(List.of(1, 2, 3)));
        for (int button : List.of(1, 2)) {
            assertThat((String) node.call(lock, button)).isEqualTo("locked");
        }
        assertThat((String) node.call(lock, 3)).isEqualTo("open");
        CompletableFuture<String> nine = node.callAsync(lock, 9, String.class, Duration.ofSeconds(10));
        ergon.awaitQuiet(lock); // the press is postponed, and the lock waits for its state timeout
        ergon.time().advance(CodeLock.OPEN_FOR.minusMillis(1));
        ergon.awaitQuiet(lock);
        assertThat(nine).isNotDone();
        ergon.time().advance(Duration.ofMillis(1));
        assertThat(nine.get(TestProbe.DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("locked");
    }
}
