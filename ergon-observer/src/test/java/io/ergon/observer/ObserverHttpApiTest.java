package io.ergon.observer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.gen.Supervisor;
import io.ergon.observer.snapshot.PidText;
import io.ergon.term.Pid;
import io.ergon.testkit.TestCluster;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The observer's HTTP API, read with the JDK's HttpClient while it watches a cluster of two Ergon nodes: the JSON
 * sample, the event stream, a process's detail with its sys state, supervision trees and rates, and the actions,
 * refused by a read-only observer and done by one that allows them.
 */
class ObserverHttpApiTest {
    @RegisterExtension
    static final TestCluster testCluster = TestCluster.create();
    static ObservedCluster cluster;
    static Observer readOnly;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        cluster = new ObservedCluster(testCluster, false);
        readOnly = Observer.start(cluster.observerNode, "obs_a@localhost",
                ObserverOptions.defaults().interval(Duration.ofMillis(200)));
    }

    @AfterAll
    static void stop() {
        if (readOnly != null) {
            readOnly.close();
        }
    }

    @Test
    void listensOnLoopbackByDefaultAndServesThePageFromTheJar() throws Exception {
        assertThat(readOnly.uri().getHost()).isEqualTo("127.0.0.1");
        HttpResponse<String> page = get(readOnly.uri());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"observer.js\">").doesNotContain("http://", "https://");
        HttpResponse<String> js = get(readOnly.uri().resolve("observer.js"));
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
        assertThat(get(readOnly.uri().resolve("nothing")).statusCode()).isEqualTo(404);
    }

    /** DNS rebinding: a request naming another host is refused on loopback; localhost is answered. */
    @Test
    void onLoopbackOnlyALoopbackHostIsAnswered() throws Exception {
        assertThat(statusWithHost("evil.example:" + readOnly.uri().getPort())).isEqualTo(403);
        assertThat(statusWithHost("localhost:" + readOnly.uri().getPort())).isEqualTo(200);
        assertThat(statusWithHost("127.0.0.1:" + readOnly.uri().getPort())).isEqualTo(200);
    }

    /** GET / over a plain socket with this Host header (the JDK's HttpClient sets Host itself): the status. */
    private static int statusWithHost(String host) throws Exception {
        try (java.net.Socket s = new java.net.Socket(readOnly.uri().getHost(), readOnly.uri().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    /** The target and the node it is connected to, each with its processes; the observer's own node is not shown. */
    @Test
    void theSampleListsTheClustersNodesAndTheirProcesses() throws Exception {
        cluster.a.send(cluster.sink.self(), "one");
        cluster.a.send(cluster.sink.self(), "two");
        Map<String, Object> view = awaitSample(readOnly, v -> node(v, "obs_b@localhost") != null
                && row(node(v, "obs_a@localhost"), PidText.of(cluster.sink.self())) != null
                && ((Number) row(node(v, "obs_a@localhost"), PidText.of(cluster.sink.self())).get("queue"))
                .longValue() == 2);
        assertThat(nodeNames(view)).containsExactly("obs_a@localhost", "obs_b@localhost");
        Map<String, Object> a = node(view, "obs_a@localhost");
        assertThat(a).containsEntry("kind", "ergon").containsEntry("release", "25").containsEntry("error", null);
        assertThat(row(a, PidText.of(cluster.sink.self()))).containsEntry("name", "sink");
        assertThat(view.get("allowActions")).isEqualTo(false);
    }

    @Test
    void supervisionTreesComeFromWhichChildren() throws Exception {
        Map<String, Object> view = awaitSample(readOnly, v -> tree(node(v, "obs_a@localhost"), "obs_sup") != null);
        Map<String, Object> sup = tree(node(view, "obs_a@localhost"), "obs_sup");
        assertThat(sup).containsEntry("type", "supervisor")
                .containsEntry("pid", PidText.of(cluster.a.whereis("obs_sup")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> children = (List<Map<String, Object>>) sup.get("children");
        assertThat(children).extracting(c -> c.get("id")).containsExactlyInAnyOrder("worker", "helper");
        assertThat(children).allSatisfy(c -> assertThat(c).containsEntry("type", "worker")
                .containsEntry("state", "running"));
    }

    /** Rates per node and per connection appear from the second sample: messages handled rise as calls are made. */
    @Test
    void messageRatesPerNodeAndPerConnection() throws Exception {
        Map<String, Object> view = awaitSample(readOnly, v -> {
            cluster.a.call(workerPid("worker"), "tick");
            return series(v, "node obs_a@localhost").size() >= 2 && node(v, "obs_a@localhost")
                    .get("messagesPerSecond") instanceof Number r && r.doubleValue() > 0;
        });
        assertThat(series(view, "obs_a@localhost -> obs_b@localhost in")).isNotEmpty();
        assertThat(series(view, "obs_a@localhost -> obs_b@localhost out")).isNotEmpty();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> connections = (List<Map<String, Object>>) node(view, "obs_a@localhost")
                .get("connections");
        assertThat(connections).anySatisfy(c -> assertThat(c).containsEntry("peer", "obs_b@localhost")
                .containsEntry("type", "normal").containsEntry("state", "up"));
        assertThat(connections).anySatisfy(c -> assertThat(c).containsEntry("peer", "obs_observer@localhost")
                .containsEntry("type", "hidden"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void processDetailHasLinksAndSysState() throws Exception {
        awaitSample(readOnly, v -> v != null);
        Pid worker = workerPid("worker");
        Map<String, Object> detail = TestJson.object(get(readOnly.uri().resolve("api/process?node=obs_a@localhost&pid="
                + query(PidText.of(worker)))).body());
        @SuppressWarnings("unchecked")
        Map<String, Object> process = (Map<String, Object>) detail.get("process");
        assertThat(process).containsEntry("alive", true);
        assertThat((List<Object>) process.get("links")).contains((Object) PidText.of(cluster.a.whereis("obs_sup")));
        assertThat((String) process.get("state")).contains("label").contains("counted");
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) process.get("info");
        assertThat(info).containsKeys("message_queue_len", "reductions", "status");
        Map<String, Object> sinkDetail = TestJson.object(get(readOnly.uri().resolve("api/process?node=obs_a@localhost&pid="
                + query(PidText.of(cluster.sink.self())))).body());
        assertThat(((Map<?, ?>) sinkDetail.get("process")).get("state")).as("a mailbox does not speak sys: not asked")
                .isNull();
        assertThat(get(readOnly.uri().resolve("api/process?node=obs_a@localhost&pid=nonsense")).statusCode())
                .isEqualTo(400);
    }

    /** Server-Sent Events: each sample is an event {@code cluster}, in order. */
    @Test
    void theEventStreamSendsEachSample() throws Exception {
        HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(readOnly.uri().resolve("api/events"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("text/event-stream"));
        List<Long> samples = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String event = null;
            for (int i = 0; i < 200 && samples.size() < 3; i++) {
                String line = lines.readLine();
                if (line == null) {
                    break;
                }
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && "cluster".equals(event)) {
                    samples.add(((Number) TestJson.object(line.substring(6)).get("sample")).longValue());
                }
            }
        }
        assertThat(samples).hasSize(3);
        assertThat(samples.get(1)).isGreaterThan(samples.get(0));
        assertThat(samples.get(2)).isGreaterThan(samples.get(1));
    }

    @Test
    void aReadOnlyObserverRefusesActionsWith403() throws Exception {
        awaitSample(readOnly, v -> v != null);
        Pid worker = workerPid("helper");
        HttpResponse<String> kill = post(readOnly.uri().resolve("api/kill?node=obs_a@localhost&pid="
                + query(PidText.of(worker))), null);
        assertThat(kill.statusCode()).isEqualTo(403);
        assertThat(kill.body()).contains("--allow-actions");
        assertThat(post(readOnly.uri().resolve("api/restart?node=obs_a@localhost&supervisor=x&id=helper"), null)
                .statusCode()).isEqualTo(403);
        assertThat(cluster.a.isAlive(worker)).isTrue();
        assertThat(get(readOnly.uri().resolve("api/kill?node=obs_a@localhost&pid=x")).statusCode()).isEqualTo(405);
    }

    /**
     * With actions allowed: kill takes a process down (its supervisor restarts it, and the observer counts the
     * restart and keeps the crash); restart asks its supervisor to terminate and restart a child; a POST from
     * another origin's page is refused.
     */
    @Test
    void anObserverWithActionsKillsAndTheRestartIsSeen() throws Exception {
        try (Observer withActions = Observer.start(cluster.observerNode, "obs_a@localhost",
                ObserverOptions.defaults().interval(Duration.ofMillis(200)).allowActions(true))) {
            awaitSample(withActions, v -> tree(node(v, "obs_a@localhost"), "obs_sup") != null);
            Pid before = workerPid("helper");
            URI kill = withActions.uri().resolve("api/kill?node=obs_a@localhost&pid="
                    + query(PidText.of(before)));
            assertThat(post(kill, "http://evil.example").statusCode()).isEqualTo(403);
            assertThat(cluster.a.isAlive(before)).isTrue();
            assertThat(post(kill, null).statusCode()).isEqualTo(200);
            Map<String, Object> view = awaitSample(withActions, v -> restart(v, "helper") != null
                    && !((List<?>) v.get("crashes")).isEmpty());
            Pid after = workerPid("helper");
            assertThat(after).isNotEqualTo(before);
            assertThat(restart(view, "helper")).containsEntry("previousPid", PidText.of(before))
                    .containsEntry("pid", PidText.of(after)).containsEntry("restarts", 1.0);
            @SuppressWarnings("unchecked")
            Map<String, Object> crash = ((List<Map<String, Object>>) view.get("crashes")).get(0);
            assertThat(crash).containsEntry("pid", PidText.of(before)).containsEntry("id", "helper")
                    .containsEntry("reason", "killed");

            Pid worker = workerPid("worker");
            HttpResponse<String> restart = post(withActions.uri().resolve("api/restart?node=obs_a@localhost"
                    + "&supervisor=" + query(PidText.of(cluster.a.whereis("obs_sup")))
                    + "&id=worker"), null);
            assertThat(restart.statusCode()).isEqualTo(200);
            Pid restarted = workerPid("worker");
            assertThat(restarted).isNotEqualTo(worker);
            assertThat(TestJson.object(restart.body())).containsEntry("result", "{ok," + restarted + "}");
            assertThat(awaitSample(withActions, v -> restart(v, "worker") != null).get("crashes"))
                    .as("a restart asked for is no crash").isEqualTo(view.get("crashes"));
        }
    }

    private static Pid workerPid(String id) {
        return Supervisor.client(cluster.a, "obs_sup").whichChildren().stream().filter(c -> c.id().equals(id))
                .findFirst().orElseThrow().pid();
    }

    /** A pid's text as a query parameter's value. */
    static String query(String pid) {
        return java.net.URLEncoder.encode(pid, StandardCharsets.UTF_8);
    }

    static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(URI uri, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody());
        if (origin != null) {
            b.header("Origin", origin);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls /api/cluster until a sample satisfies {@code ready} (bounded: 20 s); the last sample is in the failure. */
    static Map<String, Object> awaitSample(Observer o, Predicate<Map<String, Object>> ready) {
        AtomicReference<Map<String, Object>> last = new AtomicReference<>();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                HttpResponse<String> r = get(o.uri().resolve("api/cluster"));
                if (r.statusCode() != 200) {
                    return false;
                }
                last.set(TestJson.object(r.body()));
                return ready.test(last.get());
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no sample was as awaited; the last: " + last.get(), e);
        }
        return last.get();
    }

    @SuppressWarnings("unchecked")
    static List<String> nodeNames(Map<String, Object> view) {
        return ((List<Map<String, Object>>) view.get("nodes")).stream().map(n -> (String) n.get("name")).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> node(Map<String, Object> view, String name) {
        return ((List<Map<String, Object>>) view.get("nodes")).stream().filter(n -> name.equals(n.get("name")))
                .findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> row(Map<String, Object> node, String pid) {
        return node == null ? null : ((List<Map<String, Object>>) node.get("processes")).stream()
                .filter(p -> pid.equals(p.get("pid"))).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> tree(Map<String, Object> node, String id) {
        return node == null ? null : ((List<Map<String, Object>>) node.get("supervisors")).stream()
                .filter(t -> id.equals(t.get("id"))).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    static List<Object> series(Map<String, Object> view, String key) {
        return ((List<Map<String, Object>>) view.get("series")).stream().filter(s -> key.equals(s.get("key")))
                .map(s -> (List<Object>) s.get("values")).findFirst().orElse(List.of());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> restart(Map<String, Object> view, String id) {
        return ((List<Map<String, Object>>) view.get("restarts")).stream().filter(r -> id.equals(r.get("id")))
                .findFirst().orElse(null);
    }
}
