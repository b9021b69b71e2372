package io.ergon.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ergon.gen.Supervisor;
import io.ergon.node.Name;
import io.ergon.observer.snapshot.PidText;
import io.ergon.node.Reasons;
import io.ergon.term.Pid;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import io.ergon.testkit.TestCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The observer's page in a real headless Chromium, watching a mixed cluster: a real Erlang node and two Ergon
 * nodes. The page lists all three; it shows the mailbox of a process on the Erlang node grow as the test floods it
 * (the number is read from the DOM, twice, growing); it shows a supervisor on an Ergon node restarting a child (the
 * restart count and the new pid appear); and a process's detail shows its sys state. Screenshots go to
 * {@code target/observer-screenshots/}.
 */
@Tag("erlang")
class ObserverBrowserTest {
    @RegisterExtension
    final TestCluster cluster = TestCluster.create();

    static final Path SCREENSHOTS = Path.of("target", "observer-screenshots");

    @Test
    void thePageShowsAMixedClusterLive() throws Exception {
        assumeTrue(Chromium.command() != null, "chromium is not on the PATH (Debian: apt-get install chromium): "
                + "skipping the browser test of the web observer");
        ObservedCluster observed = new ObservedCluster(cluster, true);
        try (Observer observer = Observer.start(observed.observerNode, "obs_a@localhost",
                     ObserverOptions.defaults().interval(Duration.ofMillis(250)));
             Chromium browser = Chromium.start(1400, 1400)) {
            browser.navigate(observer.uri());

            String nodes = awaitDom(browser, "[...document.querySelectorAll('#nodes li.node')]"
                    + ".map(e => e.dataset.node + ':' + e.dataset.kind).sort().join(',')",
                    v -> v.equals("obs_a@localhost:ergon,obs_b@localhost:ergon,obs_erl@localhost:erlang"));
            assertThat(nodes).isEqualTo("obs_a@localhost:ergon,obs_b@localhost:ergon,obs_erl@localhost:erlang");
            browser.screenshot(SCREENSHOTS.resolve("1-nodes.png"));

            Name sink = Name.of("sink", "obs_erl@localhost");
            String queueOfSink = "(() => { const r = [...document.querySelectorAll('#processes tbody tr')].find(r => "
                    + "r.dataset.node === 'obs_erl@localhost' && r.querySelector('.name').textContent === 'sink'); "
                    + "return r ? r.querySelector('.queue').textContent : ''; })()";
            flood(observed, sink, 300);
            long first = Long.parseLong(awaitDom(browser, queueOfSink, v -> !v.isEmpty() && Long.parseLong(v) >= 300));
            flood(observed, sink, 700);
            long second = Long.parseLong(awaitDom(browser, queueOfSink, v -> Long.parseLong(v) > first));
            assertThat(second).isGreaterThan(first);
            assertThat(awaitDom(browser, "document.querySelector('#processes tbody tr').dataset.node + ' ' + "
                    + "document.querySelector('#processes tbody tr .name').textContent", v -> true))
                    .as("sorted by mailbox, the flooded process comes first").isEqualTo("obs_erl@localhost sink");
            browser.screenshot(SCREENSHOTS.resolve("2-growing-mailbox.png"));

            Pid before = childPid(observed, "helper");
            awaitDom(browser, "document.querySelector('li.child[data-id=\"helper\"]')?.dataset.pid || ''",
                    v -> v.equals(PidText.of(before)));
            observed.a.exit(before, Reasons.KILL);
            String restarted = awaitDom(browser, "(() => { const c = document.querySelector('li.child[data-id=\"helper\"]');"
                    + " const r = c && c.querySelector(':scope > .restarts'); "
                    + "return r ? c.dataset.pid + ' ' + r.textContent : ''; })()", v -> !v.isEmpty());
            Pid after = childPid(observed, "helper");
            assertThat(after).isNotEqualTo(before);
            assertThat(restarted).isEqualTo(PidText.of(after) + " restarted ×1");
            assertThat(awaitDom(browser, "document.querySelector('#crashes li')?.textContent || ''",
                    v -> !v.isEmpty())).contains(PidText.of(before)).contains("helper").contains("killed");
            browser.screenshot(SCREENSHOTS.resolve("3-supervisor-restart.png"));

            browser.evaluate("document.querySelector('li.child[data-id=\"worker\"] a.pid').click()");
            assertThat(awaitDom(browser, "document.querySelector('#detail dd[data-item=\"sys state\"]')?.textContent"
                    + " || ''", v -> !v.isEmpty())).contains("counted");
            assertThat(browser.evaluate("document.querySelector('button.kill') === null")).as("read-only: no kill")
                    .isEqualTo(true);
            browser.screenshot(SCREENSHOTS.resolve("4-process-detail.png"));
        }
    }

    private static void flood(ObservedCluster observed, Name to, int messages) {
        for (int i = 0; i < messages; i++) {
            observed.a.send(to, i);
        }
    }

    private static Pid childPid(ObservedCluster observed, String id) {
        return Supervisor.client(observed.a, "obs_sup").whichChildren().stream().filter(c -> c.id().equals(id))
                .findFirst().orElseThrow().pid();
    }

    /** Evaluates {@code expression} in the page until its text value satisfies {@code ready} (bounded: 30 s). */
    private static String awaitDom(Chromium browser, String expression, Predicate<String> ready) {
        AtomicReference<String> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Object v = browser.evaluate(expression);
            last.set(v == null ? "" : String.valueOf(v));
            return ready.test(last.get());
        });
        return last.get();
    }
}
