package io.ergon.net.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import io.ergon.testing.DiscoveredNodeMain;
import io.ergon.testing.Dnsmasq;
import io.ergon.testing.LocalProgram;
import io.ergon.testing.TestAgent;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Membership from a real dnsmasq, as a Kubernetes headless service's DNS gives it: A records (each address a node
 * {@code app@ADDRESS}, nodes without EPMD on one shared port, each on its own loopback address), changed by rewriting
 * the hosts file and SIGHUP; and SRV records (each target a node at the record's port, the target's address from
 * the same server, so the nodes' host names need not resolve anywhere else), changed by restarting dnsmasq.
 */
@Timeout(120)
class DnsDiscoveryTest {
    private static final String COOKIE = "dnscookie";
    private final List<Node> nodes = new ArrayList<>();
    private Dnsmasq dns;

    @AfterEach
    void stop() throws Exception {
        for (Node n : nodes) {
            n.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private Node node(String name, String address, int port) throws Exception {
        Node n = Node.start(name, NodeOptions.defaults().distributed(true).cookie(COOKIE).epmdless(port)
                .listenAddress(InetAddress.getByName(address)));
        n.spawnRegister("echo", TestAgent.Echo::new);
        nodes.add(n);
        return n;
    }

    private static List<String> names(Membership m) {
        return m.members().stream().map(Membership.Member::node).toList();
    }

    @Test
    void addressRecordsChangedWithSighup() throws Exception {
        dns = Dnsmasq.start(List.of("127.0.0.1 app.cluster.test", "127.0.0.2 app.cluster.test",
                "::1 app6.cluster.test"), List.of());
        int port = LocalProgram.freePort();
        Node n1 = node("app@127.0.0.1", "127.0.0.1", port);
        Node n2 = node("app@127.0.0.2", "127.0.0.2", port);
        Node n3 = node("app@127.0.0.3", "127.0.0.3", port); // not in DNS yet, and follows nobody itself
        DnsDiscovery discovery = DnsDiscovery.addresses("app", "app.cluster.test").server(dns.server());
        Membership m1 = Membership.start(n1, discovery, DiscoveredNodeMain.FAST);
        Membership m2 = Membership.start(n2, discovery, DiscoveredNodeMain.FAST);

        assertThat(LocalProgram.await(() -> m1.connected().equals(List.of("app@127.0.0.2"))
                && m2.connected().equals(List.of("app@127.0.0.1")), Duration.ofSeconds(20)))
                .as("n1 and n2 found each other: " + m1.members()).isTrue();
        assertThat(n3.nodes()).isEmpty();
        // AAAA records name nodes by their IPv6 address, in Erlang's short form
        assertThat(DnsDiscovery.addresses("app", "app6.cluster.test").server(dns.server()).peers())
                .containsExactly(new Peer("app@::1", InetAddress.getByName("::1"), 0));

        dns.hosts(List.of("127.0.0.1 app.cluster.test", "127.0.0.2 app.cluster.test", "127.0.0.3 app.cluster.test"));
        dns.reload();
        assertThat(LocalProgram.await(() -> m1.connected().equals(List.of("app@127.0.0.2", "app@127.0.0.3"))
                && m2.connected().equals(List.of("app@127.0.0.1", "app@127.0.0.3")), Duration.ofSeconds(20)))
                .as("n3 joined once DNS listed it: " + m1.members() + " / " + m2.members()).isTrue();
        assertThat(n3.nodes()).containsExactlyInAnyOrder(Atom.of("app@127.0.0.1"), Atom.of("app@127.0.0.2"));
        assertThat(n1.<Object>call(Name.of("echo", "app@127.0.0.3"), 7L, Duration.ofSeconds(5))).isEqualTo(7L);

        dns.hosts(List.of("127.0.0.1 app.cluster.test", "127.0.0.3 app.cluster.test"));
        dns.reload();
        assertThat(LocalProgram.await(() -> names(m1).equals(List.of("app@127.0.0.3")), Duration.ofSeconds(20)))
                .as("n2 left n1's membership once DNS dropped it: " + m1.members()).isTrue();
        assertThat(names(m2)).containsExactly("app@127.0.0.1", "app@127.0.0.3");
    }

    @Test
    void srvRecordsGivePortsAndAddressesAndFollowARestartedServer() throws Exception {
        int p1 = LocalProgram.freePort();
        int p2 = LocalProgram.freePort();
        int p3 = LocalProgram.freePort();
        String srv = "_ergon._tcp.cluster.test";
        dns = Dnsmasq.start(List.of("127.0.0.1 n1.cluster.test", "127.0.0.1 n2.cluster.test",
                "127.0.0.1 n3.cluster.test"), List.of(srv + ",n1.cluster.test," + p1, srv + ",n2.cluster.test," + p2));
        // names whose hosts only this dnsmasq knows: the connections go where the SRV and A records say
        Node n1 = node("app@n1.cluster.test", "127.0.0.1", p1);
        Node n2 = node("app@n2.cluster.test", "127.0.0.1", p2);
        Node n3 = node("app@n3.cluster.test", "127.0.0.1", p3);
        DnsDiscovery discovery = DnsDiscovery.srv("app", srv).server(dns.server());
        assertThat(discovery.peers()).containsExactlyInAnyOrder(
                new Peer("app@n1.cluster.test", InetAddress.getByName("127.0.0.1"), p1),
                new Peer("app@n2.cluster.test", InetAddress.getByName("127.0.0.1"), p2));
        Membership m1 = Membership.start(n1, discovery, DiscoveredNodeMain.FAST);

        assertThat(LocalProgram.await(() -> m1.connected().equals(List.of("app@n2.cluster.test")),
                Duration.ofSeconds(20))).as("n1 connected to n2: " + m1.members()).isTrue();
        assertThat(n2.<Object>call(Name.of("echo", "app@n1.cluster.test"), 1L, Duration.ofSeconds(5)))
                .as("n2 answers over the connection n1 made").isEqualTo(1L);

        dns.restart(List.of(srv + ",n1.cluster.test," + p1, srv + ",n3.cluster.test," + p3));
        assertThat(LocalProgram.await(() -> names(m1).equals(List.of("app@n3.cluster.test"))
                && m1.connected().equals(List.of("app@n3.cluster.test")), Duration.ofSeconds(20)))
                .as("n1 follows the new records: " + m1.members()).isTrue();
        assertThat(n1.<Object>call(Name.of("echo", "app@n3.cluster.test"), 2L, Duration.ofSeconds(5))).isEqualTo(2L);
        assertThat(n3.nodes()).containsExactly(Atom.of("app@n1.cluster.test"));
    }
}
