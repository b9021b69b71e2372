package io.ergon.observer;

import static io.ergon.observer.ObserverHttpApiTest.awaitSample;
import static io.ergon.observer.ObserverHttpApiTest.get;
import static io.ergon.observer.ObserverHttpApiTest.node;
import static io.ergon.observer.ObserverHttpApiTest.nodeNames;
import static io.ergon.observer.ObserverHttpApiTest.query;
import static io.ergon.observer.ObserverHttpApiTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.ergon.testkit.TestCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Erlang node in the observed cluster, read through the same calls as the Ergon nodes: it is listed as an
 * Erlang node, with its supervision trees (kernel_sup and what is under it), its applications, its connections, and
 * the detail of one of its gen_servers, sys state included.
 */
@Tag("erlang")
class ObserverErlangNodeTest {
    @RegisterExtension
    final TestCluster cluster = TestCluster.create();

    @Test
    @SuppressWarnings("unchecked")
    void anErlangNodeIsReadAsTheErgonNodesAre() throws Exception {
        ObservedCluster observed = new ObservedCluster(cluster, true);
        try (Observer observer = Observer.start(observed.observerNode, "obs_a@localhost",
                     ObserverOptions.defaults().interval(Duration.ofMillis(250)))) {
            Map<String, Object> view = awaitSample(observer, v -> tree(node(v, "obs_erl@localhost"), "kernel_sup")
                    != null && ((List<?>) node(v, "obs_erl@localhost").get("connections")).size() >= 3);
            assertThat(nodeNames(view)).containsExactly("obs_a@localhost", "obs_b@localhost", "obs_erl@localhost");
            Map<String, Object> erl = node(view, "obs_erl@localhost");
            assertThat(erl).containsEntry("kind", "erlang").containsEntry("release", "25");
            List<Map<String, Object>> children = (List<Map<String, Object>>) tree(erl, "kernel_sup").get("children");
            assertThat(children).extracting(c -> c.get("id")).contains("code_server", "kernel_refc");
            assertThat((List<Map<String, Object>>) erl.get("applications")).extracting(a -> a.get("name"))
                    .contains("kernel", "stdlib");
            assertThat((List<Map<String, Object>>) erl.get("connections")).anySatisfy(c -> assertThat(c)
                    .containsEntry("peer", "obs_a@localhost").containsEntry("type", "normal")
                    .containsEntry("state", "up"));

            String refc = (String) children.stream().filter(c -> c.get("id").equals("kernel_refc")).findFirst()
                    .orElseThrow().get("pid");
            Map<String, Object> detail = (Map<String, Object>) TestJson.object(get(observer.uri().resolve(
                    "api/process?node=obs_erl@localhost&pid=" + query(refc)))
                    .body()).get("process");
            assertThat(detail).containsEntry("alive", true).containsEntry("stateError", null);
            assertThat((String) detail.get("state")).as("kernel_refc's state, from sys:get_state").isNotEmpty();
            assertThat((List<Object>) detail.get("links")).isNotEmpty();
            assertThat((Map<String, Object>) detail.get("info")).containsEntry("registered_name", "kernel_refc");
        }
    }
}
