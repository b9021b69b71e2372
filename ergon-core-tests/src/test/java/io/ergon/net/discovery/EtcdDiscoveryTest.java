package io.ergon.net.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.testing.DiscoveredNodeMain;
import io.ergon.testing.EtcdServer;
import io.ergon.testing.LocalProgram;
import io.ergon.testing.TestAgent;
import io.ergon.testkit.ChildJvm;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three nodes without EPMD find each other through a real etcd (each registered under a lease it keeps alive, the
 * value its port): two in this JVM, one in a child JVM. The child is killed with SIGKILL, so it cannot revoke its
 * lease: it leaves the others' membership when the lease expires. Restarted on another port, it is found at that port
 * and messages flow again.
 */
@Timeout(120)
class EtcdDiscoveryTest {
    private static final String COOKIE = "etcdcookie";
    private static final String PREFIX = "/ergon-test/cluster/";
    private static final int TTL_SECONDS = 3;
    private static final String A = "a@127.0.0.1";
    private static final String B = "b@127.0.0.1";
    private static final String C = "c@127.0.0.1";

    private EtcdServer etcd;
    private Node a;
    private Node b;
    private ChildJvm c;

    @AfterEach
    void stop() throws Exception {
        if (c != null) {
            c.kill();
        }
        for (Node n : new Node[] {a, b}) {
            if (n != null) {
                n.close();
            }
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    /** What etcd lists now, read by a source that is not started (it registers nothing). */
    private List<String> registered() throws Exception {
        try (EtcdDiscovery d = discovery()) {
            return d.peers().stream().map(Peer::node).toList();
        }
    }

    private EtcdDiscovery discovery() {
        return EtcdDiscovery.of(etcd.endpoint(), PREFIX).ttl(Duration.ofSeconds(TTL_SECONDS));
    }

    private Node startNode(String name) throws Exception {
        Node n = Node.start(name, NodeOptions.defaults().distributed(true).cookie(COOKIE)
                .epmdless(LocalProgram.freePort()).listenAddress(InetAddress.getLoopbackAddress()));
        n.spawnRegister("echo", TestAgent.Echo::new);
        return n;
    }

    private ChildJvm startChild() throws Exception {
        return DiscoveredNodeMain.launch(C, COOKIE, Integer.toString(LocalProgram.freePort()),
                etcd.endpoint().toString(), PREFIX, Integer.toString(TTL_SECONDS));
    }

    private static Set<String> names(Membership m) {
        return m.members().stream().map(Membership.Member::node).collect(Collectors.toSet());
    }

    @Test
    void membershipFollowsANodeKilledAndRestarted() throws Exception {
        etcd = EtcdServer.start();
        a = startNode(A);
        b = startNode(B);
        Membership ma = Membership.start(a, discovery(), DiscoveredNodeMain.FAST);
        Membership mb = Membership.start(b, discovery(), DiscoveredNodeMain.FAST);
        long registered = System.nanoTime();
        c = startChild();

        assertThat(LocalProgram.await(() -> ma.connected().equals(List.of(B, C)) && mb.connected().equals(List.of(A, C)),
                Duration.ofSeconds(30))).as("a and b connected to each other and to c: " + ma.members() + " / "
                + mb.members()).isTrue();
        assertThat(a.<Object>call(Name.of("echo", C), 1L, Duration.ofSeconds(5))).isEqualTo(1L);
        assertThat(registered()).containsExactlyInAnyOrder(A, B, C);
        int firstPort = ma.members().stream().filter(m -> m.node().equals(C)).findFirst().orElseThrow().peer().port();

        long killed = System.nanoTime();
        c.kill(); // SIGKILL: no lease revoked
        c = null;
        assertThat(LocalProgram.await(() -> !a.nodes().contains(io.ergon.term.Atom.of(C)), Duration.ofSeconds(10)))
                .as("the connection to the killed node closed").isTrue();
        assertThat(LocalProgram.await(() -> !names(ma).contains(C) && !names(mb).contains(C),
                Duration.ofSeconds(TTL_SECONDS + 15))).as("c left the membership once its lease expired: "
                + ma.members()).isTrue();
        long left = System.nanoTime();
        // the live nodes' leases outlived their TTL: they were kept alive
        assertThat(System.nanoTime() - registered).isGreaterThan(Duration.ofSeconds(TTL_SECONDS).toNanos());
        assertThat(registered()).containsExactlyInAnyOrder(A, B);
        assertThat(names(ma)).containsExactly(B);

        long restarted = System.nanoTime();
        c = startChild();
        long ready = System.nanoTime();
        assertThat(LocalProgram.await(() -> ma.connected().contains(C) && mb.connected().contains(C),
                Duration.ofSeconds(30))).as("the restarted c rejoined: " + ma.members()).isTrue();
        System.out.printf("EtcdDiscoveryTest: TTL %d s; SIGKILL to gone from both memberships %d ms; child JVM "
                        + "start to READY %d ms, READY to connected from both %d ms%n", TTL_SECONDS,
                (left - killed) / 1_000_000, (ready - restarted) / 1_000_000, (System.nanoTime() - ready) / 1_000_000);
        int secondPort = ma.members().stream().filter(m -> m.node().equals(C)).findFirst().orElseThrow().peer().port();
        assertThat(secondPort).as("found at its new port").isNotEqualTo(firstPort);
        assertThat(a.<Object>call(Name.of("echo", C), 2L, Duration.ofSeconds(5))).isEqualTo(2L);
        assertThat(b.<Object>call(Name.of("echo", C), 3L, Duration.ofSeconds(5))).isEqualTo(3L);
    }

    @Test
    void aNodeThatClosesLeavesAtOnce() throws Exception {
        etcd = EtcdServer.start();
        a = startNode(A);
        b = startNode(B);
        Membership ma = Membership.start(a, discovery().ttl(Duration.ofSeconds(60)), DiscoveredNodeMain.FAST);
        Membership.start(b, discovery().ttl(Duration.ofSeconds(60)), DiscoveredNodeMain.FAST);
        assertThat(LocalProgram.await(() -> ma.connected().equals(List.of(B)), Duration.ofSeconds(20))).isTrue();

        b.close(); // its membership closes with it and revokes its lease
        b = null;
        assertThat(LocalProgram.await(() -> ma.members().isEmpty(), Duration.ofSeconds(20)))
                .as("b left well before its 60 s lease would expire: " + ma.members()).isTrue();
        assertThat(registered()).containsExactly(A);
    }
}
