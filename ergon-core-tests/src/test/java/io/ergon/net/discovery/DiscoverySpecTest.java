package io.ergon.net.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The text forms of {@link Discovery#parse}, as {@code ergon node --discovery} takes them. */
class DiscoverySpecTest {
    @Test
    void eachKind() throws Exception {
        assertThat(Discovery.parse("static:a@h1,b@h2=9100").peers())
                .containsExactly(Peer.of("a@h1"), new Peer("b@h2", null, 9100));
        assertThat(Discovery.parse("dns:app@app.ns.svc.cluster.local")).hasToString(
                "DNS A/AAAA app.ns.svc.cluster.local");
        assertThat(Discovery.parse("srv://10.96.0.10:53/app@_dist._tcp.app.ns.svc.cluster.local")).hasToString(
                "DNS SRV _dist._tcp.app.ns.svc.cluster.local at 10.96.0.10:53");
        assertThat(Discovery.parse("etcd:http://etcd:2379")).hasToString("etcd http://etcd:2379 /ergon/nodes/");
        assertThat(Discovery.parse("etcd:http://etcd:2379/prod/eu")).hasToString("etcd http://etcd:2379 /prod/eu/");
    }

    @Test
    void anythingElseIsRefusedWithTheForms() {
        for (String bad : new String[] {"", "consul:x", "dns:nodomain", "dns://server-without-slash",
                "etcd:ftp://x/", "etcd:not a uri", "static:nohost"}) {
            assertThatThrownBy(() -> Discovery.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Discovery.parse("consul:x")).hasMessageContaining("etcd:http://HOST:PORT");
    }
}
