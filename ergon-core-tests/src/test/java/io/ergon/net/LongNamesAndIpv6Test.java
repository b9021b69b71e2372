package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeConnectException;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import io.ergon.testing.LocalProgram;
import io.ergon.testing.TestAgent;
import io.ergon.testkit.ErlangNode;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node names as on real hosts: IPv6 (nodes named {@code alive@::1}, listening on the IPv6 loopback, with EPMD and
 * without, between Ergon nodes and with an Erlang node started with {@code -name erl@::1 -proto_dist inet6_tcp}), long
 * names with a domain ({@code alive@host.domain}) against Erlang, and a node whose host does not resolve.
 */
@Timeout(120)
class LongNamesAndIpv6Test {
    private static final String COOKIE = "longnames";
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String V6 = "{0,0,0,0,0,0,0,1}";
    static EpmdServer epmd;

    @TempDir
    Path dir;

    @BeforeAll
    static void startEpmd() throws Exception {
        // every address, IPv6 and IPv4: an inet6_tcp Erlang node registers at ::1, an IPv4 one at 127.0.0.1
        epmd = EpmdServer.start(InetAddress.getByName("::"), 0);
    }

    @AfterAll
    static void stopEpmd() {
        epmd.close();
    }

    private static NodeOptions options() throws Exception {
        return NodeOptions.defaults().distributed(true).cookie(COOKIE).epmdPort(epmd.port())
                .listenAddress(InetAddress.getByName("::1")).setupTime(Duration.ofSeconds(5));
    }

    private static String unique(String alive) {
        return alive + SEQ.incrementAndGet();
    }

    private static Node start(String name, NodeOptions options) {
        Node n = Node.start(name, options);
        n.spawnRegister("echo", TestAgent.Echo::new);
        Rpc.of(n).register("t", "add", 2, a -> (Long) a.get(0) + (Long) a.get(1));
        return n;
    }

    @Test
    void ergonNodesOnIpv6LoopbackWithEpmd() throws Exception {
        try (Node a = start(unique("a") + "@::1", options()); Node b = start(unique("b") + "@::1", options())) {
            assertThat(NodeName.of(a.name()).isLong()).as("an IPv6 host makes a long name").isTrue();
            a.connectOrThrow(b.name().name());
            assertThat(a.<Object>call(Name.of("echo", b.name().name()), 5L, Duration.ofSeconds(5))).isEqualTo(5L);
            assertThat(b.<Object>call(Name.of("echo", a.name().name()), 6L, Duration.ofSeconds(5))).isEqualTo(6L);
        }
    }

    @Test
    void anIpv6NamedNodeAndAnIpv4LongNamedNodeAreBothLongNames() throws Exception {
        try (Node a = start(unique("a") + "@::1", options());
             Node c = start(unique("c") + "@127.0.0.1", options().listenAddress(InetAddress.getLoopbackAddress()))) {
            c.connectOrThrow(a.name().name());
            assertThat(c.<Object>call(Name.of("echo", a.name().name()), 8L, Duration.ofSeconds(5))).isEqualTo(8L);
            Disconnection.drop(a, c);
            a.connectOrThrow(c.name().name());
            assertThat(a.<Object>call(Name.of("echo", c.name().name()), 9L, Duration.ofSeconds(5))).isEqualTo(9L);
        }
    }

    @Test
    void ergonNodesOnIpv6LoopbackWithoutEpmd() throws Exception {
        int pa = LocalProgram.freePort();
        int pb = LocalProgram.freePort();
        String an = unique("a") + "@::1";
        String bn = unique("b") + "@::1";
        int deadEpmd = LocalProgram.freePort();
        try (Node a = start(an, options().epmdPort(deadEpmd).epmdless(pa).peerPort(bn, pb));
             Node b = start(bn, options().epmdPort(deadEpmd).epmdless(pb).peerPort(an, pa))) {
            assertThat(a.port()).isEqualTo(pa);
            b.connectOrThrow(an);
            assertThat(b.<Object>call(Name.of("echo", an), 7L, Duration.ofSeconds(5))).isEqualTo(7L);
            assertThat(a.nodes()).containsExactly(Atom.of(bn));
        }
    }

    @Test
    void erlangOnIpv6WithEpmdBothWays() throws Exception {
        ErlangNode.assumeAvailable();
        try (ErlangNode erl = ErlangNode.startNamed(unique("erl") + "@::1", V6, COOKIE, epmd.port(),
                "-proto_dist", "inet6_tcp");
             Node a = start(unique("a") + "@::1", options())) {
            assertThat(a.ping(erl.name())).as("Ergon -> Erlang over IPv6").isTrue();
            assertThat(erl.eval("rpc:call('" + a.name().name() + "', t, add, [2, 3]).")).isEqualTo("5");
            Disconnection.drop(a, erl.name());
            assertThat(erl.eval("net_adm:ping('" + a.name().name() + "').")).as("Erlang -> Ergon over IPv6")
                    .isEqualTo("pong");
            assertThat(erl.eval("gen_server:call({echo, '" + a.name().name() + "'}, 42).")).isEqualTo("42");
        }
    }

    @Test
    void erlangOnIpv6WithoutEpmd() throws Exception {
        ErlangNode.assumeAvailable();
        int erlPort = LocalProgram.freePort();
        int ours = LocalProgram.freePort();
        String erlName = unique("erl") + "@::1";
        // one IPv6 loopback address, so the two cannot share a port: Ergon knows Erlang's and connects, and Erlang
        // answers over that connection
        try (ErlangNode erl = ErlangNode.startNamed(erlName, V6, COOKIE, LocalProgram.freePort(),
                "-proto_dist", "inet6_tcp", "-erl_epmd_port", Integer.toString(erlPort));
             Node a = start(unique("a") + "@::1", options().epmdPort(LocalProgram.freePort()).epmdless(ours)
                     .peerPort(erlName, erlPort))) {
            assertThat(a.ping(erlName)).isTrue();
            assertThat(a.<Object>call(Name.of("rex", erlName), io.ergon.term.Tuple.of(Atom.of("call"),
                    Atom.of("erlang"), Atom.of("node"), java.util.List.of(), Atom.of("user")), Duration.ofSeconds(5)))
                    .isEqualTo(Atom.of(erlName));
            assertThat(erl.eval("rpc:call('" + a.name().name() + "', t, add, [20, 22]).")).isEqualTo("42");
        }
    }

    @Test
    void longNamesWithADomainAgainstErlang() throws Exception {
        ErlangNode.assumeAvailable();
        // the hosts exist only in Erlang's own resolver (an inetrc) and in what the Ergon node is told (locatePeer),
        // standing for DNS names of two hosts
        String erlHost = "erl" + SEQ.incrementAndGet() + ".cluster.test";
        String ourHost = "ergon" + SEQ.incrementAndGet() + ".cluster.test";
        Path inetrc = dir.resolve("inetrc");
        Files.writeString(inetrc, "{host, {127,0,0,1}, [\"" + erlHost + "\"]}.\n{host, {127,0,0,1}, [\"" + ourHost
                + "\"]}.\n{lookup, [file, native]}.\n");
        String erlName = "erl@" + erlHost;
        try (ErlangNode erl = ErlangNode.startNamed(erlName, "{127,0,0,1}", COOKIE, epmd.port(),
                "-kernel", "inetrc", "\"" + inetrc + "\"");
             Node a = start("ergon@" + ourHost, options().listenAddress(InetAddress.getByName("127.0.0.1")))) {
            a.locatePeer(erlName, InetAddress.getByName("127.0.0.1"), 0);
            assertThat(a.ping(erlName)).as("Ergon -> Erlang by a long name with a domain").isTrue();
            Disconnection.drop(a, erlName);
            assertThat(erl.eval("net_adm:ping('" + a.name().name() + "').")).as("Erlang -> Ergon").isEqualTo("pong");
            assertThat(erl.eval("rpc:call('" + a.name().name() + "', t, add, [1, 2]).")).isEqualTo("3");
        }
    }

    @Test
    void aHostThatDoesNotResolveIsNamedInTheError() throws Exception {
        try (Node a = start(unique("a") + "@127.0.0.1", options().listenAddress(InetAddress.getLoopbackAddress()))) {
            assertThatThrownBy(() -> a.connectOrThrow("b@no-such-host.invalid"))
                    .isInstanceOf(NodeConnectException.class)
                    .hasMessageContaining("its host 'no-such-host.invalid' does not resolve to an address");
            assertThatThrownBy(() -> a.connectOrThrow("b@nohost"))
                    .isInstanceOf(NodeConnectException.class)
                    .hasMessageContaining("short and long node names do not mix");
        }
    }
}
