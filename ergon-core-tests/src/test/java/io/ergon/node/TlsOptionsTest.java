package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsOptionsTest {
    @Test
    void safeDefaults() {
        TlsOptions t = TlsOptions.pem(Path.of("c.pem"), Path.of("k.pem"), Path.of("ca.pem"));
        assertThat(t.enabled()).isTrue();
        assertThat(t.verifyPeer()).isTrue();
        assertThat(t.checkHostname()).isTrue();
        assertThat(t.versions()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(TlsOptions.off().enabled()).isFalse();
        assertThat(NodeOptions.defaults().tls().enabled()).isFalse();
        assertThat(t.versions("tlsv1.2", "1.3", "TLSv1.2").versions()).as("Erlang's spelling, sorted, once each")
                .containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(t.keyPassword("secret").toString()).doesNotContain("secret");
    }

    @Test
    void anErlangOptFileReadsAsErlangMeantIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dist.conf");
        Files.writeString(file, """
                %% the same file erl -proto_dist inet_tls -ssl_dist_optfile reads
                [{server, [{certfile, "/etc/ssl/node.pem"}, {keyfile, "/etc/ssl/node.key"},
                           {cacertfile, "/etc/ssl/ca.pem"}, {verify, verify_peer},
                           {fail_if_no_peer_cert, true}, {secure_renegotiate, true},
                           {versions, ['tlsv1.2']}]},
                 {client, [{certfile, "/etc/ssl/node.pem"}, {keyfile, <<"/etc/ssl/node.key">>},
                           {cacertfile, "/etc/ssl/ca.pem"}, {verify, verify_peer},
                           {server_name_indication, disable}]}].
                """);
        TlsOptions t = TlsOptions.fromErlangOptFile(file);
        assertThat(t.enabled()).isTrue();
        assertThat(t.certificate()).isEqualTo(Path.of("/etc/ssl/node.pem"));
        assertThat(t.key()).isEqualTo(Path.of("/etc/ssl/node.key"));
        assertThat(t.caBundle()).isEqualTo(Path.of("/etc/ssl/ca.pem"));
        assertThat(t.verifyPeer()).isTrue();
        assertThat(t.checkHostname()).isFalse();
        assertThat(t.versions()).containsExactly("TLSv1.2");

        Files.writeString(file, "[{server, [{certfile, \"a.pem\"}]}, {client, [{certfile, \"b.pem\"}]}].");
        assertThatThrownBy(() -> TlsOptions.fromErlangOptFile(file)).hasMessageContaining("certfile differs");
        Files.writeString(file, "[{server, [{certfile, \"a.pem\"}, {ciphers, []}]}].");
        assertThatThrownBy(() -> TlsOptions.fromErlangOptFile(file)).hasMessageContaining("does not support the "
                + "ssl option ciphers");
        Files.writeString(file, "[{server, [{certfile, \"a.pem\"}]}].");
        assertThat(TlsOptions.fromErlangOptFile(file).verifyPeer()).as("Erlang 25's default: verify_none").isFalse();
        Files.writeString(file, "{server, []}.");
        assertThatThrownBy(() -> TlsOptions.fromErlangOptFile(file)).hasMessageContaining("expected [{server");
    }
}
