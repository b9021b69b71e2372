package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
    @Test
    void aFileSetsTheOptionsUnderTheirNames() {
        NodeConfig c = NodeConfig.from(Map.of("ergon.name", "orders@localhost", "ergon.distributed", "true",
                "ergon.cookie", "secret", "ergon.epmd-port", "4400", "ergon.listen-port", "9100",
                "ergon.listen-address", "127.0.0.1", "ergon.net-ticktime", "20s", "ergon.setup-time", "PT3S",
                "ergon.parallelism", "3", "ergon.dist-buffer-busy-limit", "2m"), "app.properties", Map.of());
        NodeOptions o = c.options();
        assertThat(c.name()).isEqualTo("orders@localhost");
        assertThat(o.distributed()).isTrue();
        assertThat(o.cookie()).isEqualTo("secret");
        assertThat(o.epmdPort()).isEqualTo(4400);
        assertThat(o.listenPort()).isEqualTo(9100);
        assertThat(o.listenAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(o.netTickTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(o.setupTime()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.parallelism()).isEqualTo(3);
        assertThat(o.distBufferBusyLimit()).isEqualTo(2L << 20);
        assertThat(o.hidden()).as("not set: the default").isFalse();
        assertThat(o.shutdownTimeout()).isEqualTo(NodeOptions.defaults().shutdownTimeout());
    }

    @Test
    void theEnvironmentOverridesTheFileUnderTheSameNamesInCapitals() {
        assertThat(NodeConfig.environmentName("ergon.epmd-port")).isEqualTo("ERGON_EPMD_PORT");
        NodeConfig c = NodeConfig.from(Map.of("ergon.cookie", "from-file", "ergon.name", "a"), "app.properties",
                Map.of("ERGON_COOKIE", "from-env", "ERGON_SHUTDOWN_TIMEOUT", "500ms", "ERGON_SOMETHING_ELSE", "x",
                        "PATH", "/bin"));
        assertThat(c.options().cookie()).isEqualTo("from-env");
        assertThat(c.options().shutdownTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.name()).as("a short name gets @localhost").isEqualTo("a@localhost");
        assertThat(c.settings()).containsEntry("ergon.cookie", "from-env").doesNotContainKey("ergon.something-else");
    }

    @Test
    void badInputNamesTheKeyTheValueAndWhereItCameFrom() {
        assertThatThrownBy(() -> NodeConfig.from(Map.of("ergon.epmd-port", "lots"), "app.properties", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ergon.epmd-port = 'lots' from app.properties").hasMessageContaining("number");
        assertThatThrownBy(() -> NodeConfig.from(Map.of(), "app.properties", Map.of("ERGON_NET_TICKTIME", "60")))
                .hasMessageContaining("ergon.net-ticktime = '60' from the environment (ERGON_NET_TICKTIME)")
                .hasMessageContaining("500ms, 60s");
        assertThatThrownBy(() -> NodeConfig.from(Map.of("ergon.parallelism", "0"), "f", Map.of()))
                .hasMessageContaining("parallelism must be at least 1");
        assertThatThrownBy(() -> NodeConfig.from(Map.of("ergon.distributed", "yes"), "f", Map.of()))
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> NodeConfig.from(Map.of("ergon.epmd_port", "4369", "ergon.cookei", "x",
                "spring.application.name", "shop"), "app.properties", Map.of()))
                .as("a misspelt key fails, others' keys pass").hasMessageContaining("unknown Ergon settings in "
                        + "app.properties").hasMessageContaining("ergon.epmd_port").hasMessageContaining("ergon.cookei")
                .hasMessageNotContaining("spring.application.name");
    }

    @Test
    void aNodeStartsFromAPropertiesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("node.properties");
        Files.writeString(file, "# a node of the orders service\nergon.name = config_test\nergon.parallelism = 2\n"
                + "spring.profiles.active = test\n");
        NodeConfig c = NodeConfig.load(file);
        try (Node node = c.start()) {
            assertThat(node.name().name()).isEqualTo("config_test@localhost");
            assertThat(node.options().parallelism()).isEqualTo(2);
        }
        assertThatThrownBy(() -> NodeConfig.from(Map.of(), "f", Map.of()).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ergon.name");
    }

    @Test
    void tlsKeysSetTlsOptionsAndNeedErgonTls() {
        NodeConfig c = NodeConfig.from(Map.of("ergon.tls", "true", "ergon.tls-certfile", "/etc/ergon/node.pem",
                "ergon.tls-keyfile", "/etc/ergon/node.key", "ergon.tls-cacertfile", "/etc/ergon/ca.pem",
                "ergon.tls-versions", "TLSv1.2"), "app.properties", Map.of("ERGON_TLS_CHECK_HOSTNAME", "false",
                "ERGON_TLS_KEY_PASSWORD", "pw"));
        TlsOptions t = c.options().tls();
        assertThat(t.enabled()).isTrue();
        assertThat(t.certificate()).isEqualTo(Path.of("/etc/ergon/node.pem"));
        assertThat(t.key()).isEqualTo(Path.of("/etc/ergon/node.key"));
        assertThat(t.caBundle()).isEqualTo(Path.of("/etc/ergon/ca.pem"));
        assertThat(t.keyPassword()).isEqualTo("pw");
        assertThat(t.versions()).containsExactly("TLSv1.2");
        assertThat(t.verifyPeer()).as("the default").isTrue();
        assertThat(t.checkHostname()).isFalse();
        assertThat(t.toString()).doesNotContain("pw");
        assertThat(NodeConfig.from(Map.of("ergon.tls-versions", "1.3, 1.2", "ergon.tls", "false"), "f", Map.of())
                .options().tls()).satisfies(x -> {
                    assertThat(x.enabled()).isFalse();
                    assertThat(x.versions()).containsExactly("TLSv1.3", "TLSv1.2");
                });
        assertThatThrownBy(() -> NodeConfig.from(Map.of("ergon.tls-certfile", "/x.pem"), "app.properties", Map.of()))
                .hasMessageContaining("ergon.tls-certfile is set (from app.properties) but ergon.tls is not");
        assertThatThrownBy(() -> NodeConfig.from(Map.of("ergon.tls", "true", "ergon.tls-versions", "TLSv1.1"), "f",
                Map.of())).hasMessageContaining("ergon.tls-versions = 'TLSv1.1' from f");
    }

    @Test
    void aNodeWithoutEpmdFromKeys() {
        NodeOptions o = NodeConfig.from(Map.of("ergon.epmdless-port", "9100", "ergon.peer-ports",
                "a@host1=9101, b=9102"), "f", Map.of()).options();
        assertThat(o.epmdlessPort()).isEqualTo(9100);
        assertThat(o.peerPorts()).isEqualTo(Map.of("a@host1", 9101, "b", 9102));
        assertThatThrownBy(() -> NodeConfig.from(Map.of("ergon.peer-ports", "a@host1:9101"), "f", Map.of()))
                .hasMessageContaining("node=port pairs");
    }

    @Test
    void theInboundLimitsComeFromTheirKeysAndAreChecked() {
        NodeConfig c = NodeConfig.from(Map.of("ergon.dist-connection-inbound-limit", "4m",
                "ergon.dist-inbound-limit", "20m"), "app.properties",
                Map.of("ERGON_DIST_CONNECTION_INBOUND_LIMIT", "8m"));
        assertThat(c.options().distConnectionInboundLimit()).isEqualTo(8L << 20);
        assertThat(c.options().distInboundLimit()).isEqualTo(20L << 20);
        NodeOptions d = NodeOptions.defaults();
        assertThat(d.distConnectionInboundLimit()).isEqualTo(16L << 20);
        assertThat(d.distInboundLimit()).isEqualTo(64L << 20);
        assertThat(d.distInboundLimit(65536).distConnectionInboundLimit(1L << 30).distConnectionInboundLimit())
                .as("above the node's limit is allowed: the node's then applies first").isEqualTo(1L << 30);
        assertThatThrownBy(() -> NodeConfig.from(Map.of("ergon.dist-inbound-limit", "1k"), "app.properties",
                Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ergon.dist-inbound-limit = '1k' from app.properties")
                .hasMessageContaining("at least 64 KiB");
        assertThatThrownBy(() -> NodeConfig.from(Map.of(), "f", Map.of("ERGON_DIST_CONNECTION_INBOUND_LIMIT",
                "lots"))).hasMessageContaining("ergon.dist-connection-inbound-limit = 'lots' from the environment")
                .hasMessageContaining("a number of bytes");
        assertThatThrownBy(() -> NodeConfig.from(Map.of("ergon.dist-inbound-limit", "99999999999999999m"), "f",
                Map.of())).hasMessageContaining("too many bytes");
        assertThatThrownBy(() -> d.distConnectionInboundLimit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connection inbound limit must be at least 64 KiB, not 0");
        assertThatThrownBy(() -> d.distInboundLimit(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inbound limit must be at least 64 KiB, not -1");
    }
}
