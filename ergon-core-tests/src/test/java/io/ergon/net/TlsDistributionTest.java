package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.gen.GenServer;
import io.ergon.net.internal.Distribution;
import io.ergon.node.Down;
import io.ergon.node.Exit;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeConnectException;
import io.ergon.node.NodeOptions;
import io.ergon.node.Reasons;
import io.ergon.node.TlsOptions;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.testkit.LogCapture;
import io.ergon.testkit.TestPki;
import io.ergon.testkit.TestPki.Identity;
import io.ergon.testkit.TestPki.KeyKind;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ergon↔Ergon distribution over TLS (Erlang's {@code inet_tls_dist} way): messages, calls, links and monitors over
 * TLS 1.3 and 1.2; certificates from the PEM files users have (PKCS#8, PKCS#1, SEC1, encrypted PKCS#8); and each
 * refusal (untrusted, expired, a name mismatch, no common version, a plain-TCP peer either way) failing only that
 * connection, with a reason that names the cause, on the side that connects ({@code connectOrThrow}) and in the
 * accepting node's log. The certificates are made with openssl in a temporary directory.
 */
class TlsDistributionTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static EpmdServer epmd;
    static Identity good;
    static Identity goodEc;
    static Identity goodPkcs1;
    static Identity expired;
    static Identity untrusted;
    static Identity wrongName;
    static final AtomicInteger SEQ = new AtomicInteger();

    @BeforeAll
    static void certificates() throws Exception {
        TestPki.assumeAvailable();
        pki = TestPki.create(dir);
        String sans = "DNS:localhost,IP:127.0.0.1";
        good = pki.issue("good", KeyKind.RSA_PKCS8, false, false, sans);
        goodEc = pki.issue("good-ec", KeyKind.EC_SEC1, false, false, sans);
        goodPkcs1 = pki.issue("good-pkcs1", KeyKind.RSA_PKCS1, false, false, sans);
        expired = pki.issue("expired", KeyKind.EC_PKCS8, false, true, sans);
        untrusted = pki.issue("untrusted", KeyKind.EC_PKCS8, true, false, sans);
        wrongName = pki.issue("wrong-name", KeyKind.EC_PKCS8, false, false, "DNS:elsewhere.invalid");
        epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterAll
    static void stop() {
        if (epmd != null) {
            epmd.close();
        }
    }

    /**
     * The setup time is generous: a JVM's first TLS handshakes, before its JIT has compiled JSSE, took more than 5 s
     * on a loaded machine, and the first message of a test was lost with its connection. The one test of the setup
     * time sets its own.
     */
    static NodeOptions plain() {
        return NodeOptions.defaults().distributed(true).cookie("tls").epmdPort(epmd.port())
                .listenAddress(InetAddress.getLoopbackAddress()).setupTime(Duration.ofSeconds(20));
    }

    static NodeOptions tls(Identity id) {
        return plain().tls(TlsOptions.pem(id.certificate(), id.key(), pki.caBundle()));
    }

    static String name(String prefix) {
        return prefix + "_" + SEQ.incrementAndGet() + "@localhost";
    }

    static final class Echo extends GenServer {
        @Override
        protected Object handleCall(Object request, From from) {
            return request;
        }
    }

    /** Messages, a call, a link and a monitor across a TLS connection, and node-down through them when it closes. */
    static void converse(Node a, Node b) {
        Mailbox box = a.mailbox("box");
        b.send(Name.of("box", a.name().name()), "over TLS");
        assertThat(box.receive(Duration.ofSeconds(10))).isEqualTo(Binary.of("over TLS"));
        Pid echo = a.spawnRegister("echo", Echo::new);
        assertThat(b.<Object>call(echo, Atom.of("marco"), Duration.ofSeconds(10))).isEqualTo(Atom.of("marco"));
        byte[] big = new byte[300_000];
        new java.util.Random(7).nextBytes(big);
        assertThat(b.<Object>call(echo, big, Duration.ofSeconds(10))).isEqualTo(Binary.of(big));
        Pid victim = a.spawn(Echo::new);
        try (Mailbox watcher = b.mailbox(); Mailbox local = a.mailbox()) {
            watcher.trapExit(true);
            watcher.link(victim);
            Ref ref = watcher.monitor(victim);
            Ref localRef = local.monitor(victim);
            // the call's reply comes after the link and the monitor reached the victim (one sender, one order)
            assertThat(watcher.<Object>call(victim, Atom.of("ready"), Duration.ofSeconds(10)))
                    .isEqualTo(Atom.of("ready"));
            assertThat(b.disconnect(a.name().name())).isTrue();
            Object first = watcher.receive(Duration.ofSeconds(10));
            Object second = watcher.receive(Duration.ofSeconds(10));
            assertThat(List.of(first, second)).containsExactlyInAnyOrder(
                    new Exit(victim, Reasons.NOCONNECTION), new Down(ref, victim, Reasons.NOCONNECTION));
            // on the other side the link broke too: the victim died of it
            assertThat(local.receive(Duration.ofSeconds(10))).isEqualTo(new Down(localRef, victim,
                    Reasons.NOCONNECTION));
        }
        // and they connect again, once both saw the old connection go
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !a.nodes().contains(b.name())
                && !b.nodes().contains(a.name()));
        b.connectOrThrow(a.name().name());
        try (Mailbox caller = b.mailbox()) {
            assertThat(caller.<Object>call(echo, Atom.of("polo"), Duration.ofSeconds(10))).isEqualTo(Atom.of("polo"));
        }
    }

    @Test
    void twoTlsNodesTalkOverTls13() {
        try (Node a = Node.start(name("tls_a"), tls(good)); Node b = Node.start(name("tls_b"), tls(goodEc))) {
            converse(a, b);
        }
    }

    @Test
    void twoTlsNodesTalkOverTls12() {
        try (Node a = Node.start(name("tls12_a"), tls(good).tls(tls(good).tls().versions("TLSv1.2")));
             Node b = Node.start(name("tls12_b"), tls(goodPkcs1).tls(tls(goodPkcs1).tls().versions("1.2")))) {
            converse(a, b);
        }
    }

    @Test
    void keysInEveryPemFormUsersHave() throws Exception {
        // a PKCS#1 RSA key, a SEC1 EC key (after its EC PARAMETERS block), an encrypted PKCS#8 key, and a key in the
        // certificate's own file
        Path encrypted = pki.encrypt(good.key(), "s3cret");
        Path combined = dir.resolve("combined.pem");
        java.nio.file.Files.writeString(combined, java.nio.file.Files.readString(goodPkcs1.certificate())
                + java.nio.file.Files.readString(goodPkcs1.key()));
        try (Node ec = Node.start(name("sec1"), tls(goodEc));
             Node enc = Node.start(name("encrypted"), plain().tls(TlsOptions.pem(good.certificate(), encrypted,
                     pki.caBundle()).keyPassword("s3cret")));
             Node both = Node.start(name("combined"), plain().tls(TlsOptions.pem(combined, null, pki.caBundle())))) {
            enc.connectOrThrow(ec.name().name());
            both.connectOrThrow(ec.name().name());
            both.connectOrThrow(enc.name().name());
            assertThat(ec.ping(both.name().name())).isTrue();
        }
    }

    @Test
    void badSettingsFailTheStartNamingTheFile() {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> Node.start(name("bad"), plain().tls(TlsOptions.pem(missing, good.key(),
                pki.caBundle())))).hasMessageContaining(missing.toString()).hasMessageContaining("no such file");
        assertThatThrownBy(() -> Node.start(name("bad"), plain().tls(TlsOptions.pem(good.certificate(),
                goodEc.key(), pki.caBundle())))).hasMessageContaining("does not belong to the certificate");
        assertThatThrownBy(() -> Node.start(name("bad"), plain().tls(TlsOptions.pem(good.certificate(), good.key(),
                null)))).hasMessageContaining("no CA bundle");
        assertThatThrownBy(() -> Node.start(name("bad"), plain().tls(TlsOptions.pem(good.certificate(),
                good.certificate(), pki.caBundle())))).hasMessageContaining("no private key");
        assertThatThrownBy(() -> Node.start(name("bad"), plain().tls(TlsOptions.pem(good.certificate(),
                pki.encrypt(goodEc.key(), "pw"), pki.caBundle())))).hasMessageContaining("no password");
        assertThatThrownBy(() -> TlsOptions.off().versions("TLSv1.1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TLSv1.1");
    }

    /**
     * {@code from} cannot connect to {@code to}: {@code connectOrThrow} names the cause ({@code initiatorSays}), the
     * accepting node logs its own view of it ({@code acceptorSays}), and the accepting node's other connection (to a
     * friend) carries on.
     */
    static void refused(NodeOptions from, NodeOptions to, String initiatorSays, String acceptorSays) {
        try (LogCapture log = LogCapture.of(Distribution.class);
             Node acceptor = Node.start(name("acceptor"), to);
             Node friend = Node.start(name("friend"), to.tls().enabled()
                     ? plain().tls(TlsOptions.pem(good.certificate(), good.key(), pki.caBundle()).verifyPeer(false))
                     : plain());
             Node initiator = Node.start(name("initiator"), from)) {
            acceptor.connectOrThrow(friend.name().name());
            assertThatThrownBy(() -> initiator.connectOrThrow(acceptor.name().name()))
                    .isInstanceOfSatisfying(NodeConnectException.class, e -> {
                        assertThat(e.node()).isEqualTo(acceptor.name().name());
                        assertThat(e.reason()).contains(initiatorSays);
                    });
            assertThat(initiator.ping(acceptor.name().name())).isFalse();
            String prefix = acceptor.name().name() + ": refused a connection from";
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.messages())
                    .anySatisfy(m -> assertThat(m).startsWith(prefix).contains(acceptorSays)));
            assertThat(acceptor.nodes()).containsExactly(friend.name());
            assertThat(acceptor.ping(friend.name().name())).isTrue();
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedEitherWay() {
        refused(tls(untrusted), tls(good), "refused this node's certificate",
                "TLS: the connecting peer's certificate is not trusted");
        refused(tls(good), tls(untrusted), "TLS: the peer's certificate is not trusted", "TLS: ");
    }

    @Test
    void anExpiredCertificateIsRefusedEitherWay() {
        refused(tls(expired), tls(good), "refused this node's certificate",
                "TLS: the connecting peer's certificate has expired");
        refused(tls(good), tls(expired), "TLS: the peer's certificate has expired", "TLS: ");
    }

    @Test
    void aCertificateForAnotherHostIsRefusedByTheConnectingSide() {
        refused(tls(good), tls(wrongName), "TLS: the peer's certificate does not name the host of its node name",
                "TLS: ");
        // Erlang's {server_name_indication, disable}: no name check, the certificate still has to be trusted
        NodeOptions lax = plain().tls(tls(good).tls().checkHostname(false));
        try (Node a = Node.start(name("lax"), lax); Node b = Node.start(name("wrong_name"), tls(wrongName))) {
            a.connectOrThrow(b.name().name());
        }
    }

    @Test
    void noTlsVersionInCommon() {
        NodeOptions only12 = plain().tls(tls(good).tls().versions("TLSv1.2"));
        NodeOptions only13 = plain().tls(tls(good).tls().versions("TLSv1.3"));
        refused(only12, only13, "TLS: ", "TLS: no TLS version");
    }

    @Test
    void aPlainNodeAndATlsNodeRefuseEachOtherSayingWhy() {
        refused(plain(), tls(good), "the peer speaks TLS: it is a TLS node",
                "TLS: the connecting peer does not speak TLS: a plain-TCP node connected to this TLS node");
        refused(tls(good), plain(), "plain-TCP node", "the peer speaks TLS: it is a TLS node");
    }

    /**
     * A peer that feeds a TLS ClientHello one byte at a time, each well within a read timeout, is cut off when the
     * setup time has passed: the TLS handshake has one deadline, as the distribution handshake has.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aTlsHandshakeFedOneByteAtATimeEndsAtTheSetupTime() throws Exception {
        try (Node node = Node.start(name("slow_tls"), tls(good).setupTime(Duration.ofSeconds(1)))) {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), node.port())) {
                // a TLS handshake record whose header says 512 bytes; they come one every 200 ms
                long closedAfterMillis = io.ergon.testing.SlowPeer.feedUntilClosed(s,
                        new byte[] {0x16, 0x03, 0x01, 0x02, 0x00}, 1, 40, 50, 150);
                // -1 would mean it stayed open while the peer fed it (8 s): the deadline cut it off
                assertThat(closedAfterMillis).as("the node closed the handshake (ms after it began)")
                        .isGreaterThanOrEqualTo(900L);
            }
            try (Node other = Node.start(name("after_slow"), tls(goodEc))) {
                assertThat(other.ping(node.name().name())).as("the node still answers").isTrue();
            }
        }
    }
}
