package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.etf.RecordRegistry;
import io.ergon.node.Actor;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import io.ergon.testing.TestAgent;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Messaging between this test's node and a peer Ergon node that runs {@code echo} and {@code agent}
 * ({@link TestAgent}); subclasses put the peer in this JVM or in another one.
 */
abstract class MessagingContract {
    static {
        RecordRegistry.global().register(TestAgent.Greeting.class);
    }

    abstract Node local();

    abstract String peer();

    Name agent() {
        return Name.of("agent", peer());
    }

    @Test
    void sendByNameAndByPidBothWays() {
        try (Mailbox box = local().mailbox()) {
            Object reply = box.call(Name.of("echo", peer()), Tuple.of(Atom.of("whoami"), box.pid()),
                    Duration.ofSeconds(10));
            Tuple t = (Tuple) reply;
            assertThat(t.get(1)).isEqualTo(box.pid());
            box.call(agent(), Tuple.of(Atom.of("send_numbered"), box.pid(), 3L), Duration.ofSeconds(10));
            assertThat(box.receive(Duration.ofSeconds(10))).isEqualTo(1L);
            assertThat(box.receive(Duration.ofSeconds(10))).isEqualTo(2L);
            assertThat(box.receive(Duration.ofSeconds(10))).isEqualTo(3L);
        }
    }

    @Test
    void oneHundredThousandMessagesArriveInOrderBothWays() {
        long n = 100_000;
        try (Mailbox box = local().mailbox()) {
            box.call(agent(), Tuple.of(Atom.of("send_numbered"), box.pid(), n), Duration.ofSeconds(10));
            for (long i = 1; i <= n; i++) {
                assertThat(box.receive(Duration.ofSeconds(30))).isEqualTo(i);
            }
            box.call(agent(), Tuple.of(Atom.of("count_in_order"), n, box.pid()), Duration.ofSeconds(10));
            Name counter = Name.of("counter", peer());
            for (long i = 1; i <= n; i++) {
                box.send(counter, i);
            }
            assertThat(box.receive(Duration.ofSeconds(60))).isEqualTo(Tuple.of(Atom.of("all_in_order"), n));
        }
    }

    /**
     * Eight senders share one connection, each pausing now and then (so that the writer thread sometimes finds the
     * queue empty and sleeps, and sometimes drains a burst from several senders): each sender's messages still
     * arrive in its order, through a relay on the peer and back.
     */
    @Test
    void manySendersThatPauseNowAndThenEachKeepTheirOrder() {
        int senders = 8;
        long each = 10_000;
        try (Mailbox box = local().mailbox()) {
            box.call(agent(), Tuple.of(Atom.of("relay"), box.pid()), Duration.ofSeconds(10));
            Name relay = Name.of("relay", peer());
            for (long k = 0; k < senders; k++) {
                long sender = k;
                local().spawn(() -> new Actor() {
                    @Override
                    protected void init() {
                        send(self(), Atom.of("go"));
                    }

                    @Override
                    protected void handleMessage(Object message) {
                        for (long i = 1; i <= each; i++) {
                            send(relay, Tuple.of(sender, i));
                            if (i % (50 + 10 * sender) == 0) {
                                LockSupport.parkNanos(100_000);
                            }
                        }
                    }
                });
            }
            long[] next = new long[senders];
            Arrays.fill(next, 1);
            for (long n = 0; n < senders * each; n++) {
                Object m = box.receive(Duration.ofSeconds(30));
                assertThat(m).as("message %d of %d", n + 1, senders * each).isInstanceOf(Tuple.class);
                int k = (int) (long) (Long) ((Tuple) m).get(0);
                long i = (Long) ((Tuple) m).get(1);
                if (i != next[k]) {
                    throw new AssertionError("sender " + k + ": got " + i + ", expected " + next[k]);
                }
                next[k]++;
            }
        }
    }

    @Test
    void aFiveMegabyteMessageAndASmallOneBothArriveBothWays() {
        int size = 5_000_000;
        try (Mailbox box = local().mailbox()) {
            box.call(agent(), Tuple.of(Atom.of("send_big"), box.pid(), (long) size), Duration.ofSeconds(10));
            Tuple big = (Tuple) box.receive(Duration.ofSeconds(30));
            assertThat(((Binary) big.get(1)).size()).isEqualTo(size);
            assertThat(box.receive(Duration.ofSeconds(10))).isEqualTo(Atom.of("small"));
            byte[] bytes = new byte[size];
            Arrays.fill(bytes, (byte) 3);
            Binary payload = Binary.of(bytes);
            Object echoed = box.call(Name.of("echo", peer()), Tuple.of(Atom.of("big"), payload),
                    Duration.ofSeconds(30));
            assertThat(echoed).isEqualTo(Tuple.of(Atom.of("big"), payload));
        }
    }

    /**
     * Many calls each way, one at a time, every one answered with its own request. The count is a volume, not a
     * threshold: each call is the same round trip, and nothing builds up between them.
     */
    @Test
    void fiveThousandCallsBothWays() {
        long calls = 5_000;
        try (Mailbox box = local().mailbox()) {
            long ok = 0;
            for (long i = 0; i < calls; i++) {
                Tuple req = Tuple.of(Atom.of("n"), i);
                if (req.equals(box.call(Name.of("echo", peer()), req, Duration.ofSeconds(10)))) {
                    ok++;
                }
            }
            assertThat(ok).isEqualTo(calls);
            Pid echo = local().whereis("echo");
            Object theirs = box.call(agent(), Tuple.of(Atom.of("call_many"), new Name(Atom.of("echo"), local().name()),
                    calls), Duration.ofSeconds(120));
            assertThat(echo).isNotNull();
            assertThat(theirs).isEqualTo(calls);
        }
    }

    @Test
    void registeredRecordsArriveTyped() {
        try (Mailbox box = local().mailbox()) {
            Object reply = box.call(Name.of("echo", peer()), new TestAgent.Greeting("hello", 7), Duration.ofSeconds(10));
            assertThat(reply).isEqualTo(new TestAgent.Greeting("hello", 7));
            assertThat(((TestAgent.Greeting) reply).text()).isInstanceOf(String.class);
        }
    }
}
