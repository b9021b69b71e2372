package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.node.spi.InboundMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The accounting behind inbound backpressure, without sockets: what a message costs, when a reader must pause and
 * may resume (per connection, and for the node with a backlog of its own), that a release wakes a paused reader, and
 * that every charge is given back exactly once.
 */
class InboundBacklogTest {
    private static final long CONNECTION = 100_000;
    private static final long NODE = 250_000;
    private static final int FRAME = 936; // with the overhead, a cost of 1,000 bytes

    private final InboundBacklog backlog = new InboundBacklog(new InboundLimits(CONNECTION, NODE));

    private static List<InboundMessage> charge(InboundBacklog.Account a, int messages) {
        List<InboundMessage> out = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            out.add(a.charge(i, FRAME));
        }
        return out;
    }

    @Test
    void aMessageCostsItsFrameAndTheOverheadUntilItIsTakenOrDropped() {
        InboundBacklog.Account a = backlog.open();
        InboundMessage m = a.charge("hello", FRAME);
        assertThat(m.cost()).isEqualTo(FRAME + InboundMessage.OVERHEAD).isEqualTo(1_000);
        assertThat(m.peek()).isEqualTo("hello");
        assertThat(a.bytes()).as("the reader publishes its charges in batches").isZero();
        assertThat(a.checkDue()).isFalse();
        a.publish();
        assertThat(a.bytes()).isEqualTo(1_000);
        assertThat(backlog.bytes()).isEqualTo(1_000);
        assertThat(m.take()).isEqualTo("hello");
        assertThat(m.isReleased()).isTrue();
        m.drop(); // a second release (a race at a process's exit) gives nothing back twice
        m.take();
        assertThat(a.bytes()).isZero();
        assertThat(backlog.bytes()).isZero();
        assertThat(InboundMessage.peek(m)).isEqualTo("hello");
        assertThat(InboundMessage.peek("plain")).isEqualTo("plain");
    }

    @Test
    void theReaderLooksAtTheLimitsEverySixteenthOfTheConnectionLimit() {
        InboundBacklog.Account a = backlog.open(); // 100,000 bytes: it looks every 6,250
        charge(a, 6);
        assertThat(a.checkDue()).isFalse();
        charge(a, 1);
        assertThat(a.checkDue()).isTrue();
        assertThat(a.mustPause()).isFalse();
        assertThat(a.checkDue()).as("published by the look").isFalse();
        assertThat(a.bytes()).isEqualTo(7_000);
        InboundBacklog big = new InboundBacklog(new InboundLimits(16L << 20, 64L << 20));
        InboundBacklog.Account b = big.open();
        b.charge("x", (int) InboundBacklog.MAX_CHECK_BYTES - InboundMessage.OVERHEAD - 1);
        assertThat(b.checkDue()).as("at most every 64 KiB").isFalse();
        b.charge("y", 1);
        assertThat(b.checkDue()).isTrue();
    }

    /**
     * A publish before the reader blocks for input is not a look: a reader that blocks after every few messages (a
     * peer that trickles them, or a loaded machine) still looks every sixteenth of the limit, so its connection
     * overshoots the limit by at most that and a message. It once never looked at all, and went past the limit.
     */
    @Test
    void theReaderLooksEverySixteenthEvenWhenItPublishedBeforeBlocking() {
        InboundBacklog.Account a = backlog.open(); // it looks every 6,250 bytes
        for (int i = 0; i < 200; i++) { // 200,000 bytes, twice the limit, a message between two blocking reads
            charge(a, 1);
            if (a.checkDue() && a.mustPause()) {
                break;
            }
            a.publish(); // the reader is about to block for input
        }
        assertThat(a.bytes()).as("looked, and told to pause, before the limit and a look's worth were passed")
                .isGreaterThan(CONNECTION).isLessThanOrEqualTo(CONNECTION + backlog.checkBytes() + 1_000);
    }

    @Test
    void aConnectionPausesPastItsLimitAndMayResumeAtHalf() {
        InboundBacklog.Account a = backlog.open();
        List<InboundMessage> held = charge(a, 100); // exactly the limit: not past it
        assertThat(a.mustPause()).isFalse();
        held.add(a.charge("one more", FRAME));
        assertThat(a.mustPause()).isTrue();
        assertThat(a.mayResume()).isFalse();
        for (int i = 0; i < 50; i++) {
            held.remove(0).take(); // 51,000 left
        }
        assertThat(a.mayResume()).as("above half the limit").isFalse();
        held.remove(0).take(); // 50,000: half
        assertThat(a.mayResume()).isTrue();
        assertThat(a.mustPause()).isFalse();
    }

    @Test
    void pastTheNodeLimitOnlyAConnectionWithABacklogOfItsOwnPauses() {
        InboundBacklog.Account first = backlog.open();
        InboundBacklog.Account second = backlog.open();
        InboundBacklog.Account third = backlog.open();
        List<InboundMessage> a = charge(first, 100);
        List<InboundMessage> b = charge(second, 100);
        first.publish();
        second.publish();
        assertThat(backlog.bytes()).isEqualTo(200_000);
        assertThat(first.mustPause()).isFalse();
        List<InboundMessage> c = charge(third, 51); // 251,000 in all, past the node's 250,000
        third.publish();
        assertThat(first.mustPause()).isTrue();
        assertThat(second.mustPause()).isTrue();
        assertThat(third.mustPause()).isTrue();
        InboundBacklog.Account quiet = backlog.open();
        assertThat(quiet.mustPause()).as("a connection with nothing waiting may still deliver").isFalse();
        InboundMessage rpc = quiet.charge("rpc", FRAME);
        assertThat(quiet.checkDue()).as("the reader delivers a few KiB before it looks again").isFalse();
        assertThat(quiet.mustPause()).as("and then stops while it has anything waiting").isTrue();
        assertThat(quiet.mayResume()).isFalse();
        rpc.take();
        assertThat(quiet.mayResume()).isTrue();
        // the others resume once the node is down to half its limit (125,000), each at half its own
        for (List<InboundMessage> l : List.of(a, b, c)) {
            l.forEach(InboundMessage::take);
            l.clear();
        }
        a.addAll(charge(first, 60));
        b.addAll(charge(second, 60));
        first.publish();
        second.publish();
        assertThat(first.mayResume()).as("60,000 of its own, above half its limit").isFalse();
        a.subList(0, 10).forEach(InboundMessage::take);
        assertThat(first.mayResume()).as("50,000 of its own, but 110,000 in all").isTrue();
        b.subList(0, 40).forEach(InboundMessage::take);
        assertThat(second.mayResume()).isTrue();
    }

    @Test
    @Timeout(10)
    void aReleaseWakesAPausedReaderAndAClosedConnectionEndsThePause() throws Exception {
        InboundBacklog.Account a = backlog.open();
        List<InboundMessage> held = charge(a, 101);
        assertThat(a.checkDue()).isTrue();
        assertThat(a.mustPause()).isTrue();
        CompletableFuture<Long> pause = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> pause.complete(a.awaitRoom(() -> true)));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(a::paused);
        assertThat(a.pauses()).isEqualTo(1);
        for (int i = 0; i < 50; i++) {
            held.remove(0).take();
        }
        assertThatThrownBy(() -> pause.get(20, TimeUnit.MILLISECONDS)).as("still above half")
                .isInstanceOf(TimeoutException.class);
        held.remove(0).take();
        assertThat(pause.get(5, TimeUnit.SECONDS)).isPositive();
        reader.join(5_000);

        held.addAll(charge(a, 60)); // past the limit again
        assertThat(a.mustPause()).isTrue();
        AtomicBoolean open = new AtomicBoolean(true);
        CompletableFuture<Long> second = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> second.complete(a.awaitRoom(open::get)));
        assertThatThrownBy(() -> second.get(20, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        open.set(false); // the connection closed: the reader goes, to find it closed
        assertThat(second.get(5, TimeUnit.SECONDS)).isPositive();
        assertThat(a.pauses()).isEqualTo(2);
    }

    @Test
    @Timeout(30)
    void chargesAndReleasesFromManyThreadsBalanceToZero() throws Exception {
        InboundBacklog.Account a = backlog.open();
        InboundBacklog.Account b = backlog.open();
        List<Thread> threads = new ArrayList<>();
        for (InboundBacklog.Account account : List.of(a, b)) {
            List<InboundMessage> messages = charge(account, 20_000);
            for (int t = 0; t < 4; t++) {
                int from = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = from; i < messages.size(); i += 4) {
                        if (i % 2 == 0) {
                            messages.get(i).take();
                        } else {
                            messages.get(i).drop();
                        }
                        messages.get(i).drop(); // a racing second release changes nothing
                    }
                }));
            }
        }
        for (Thread t : threads) {
            t.join(20_000);
        }
        assertThat(a.bytes()).as("releases came before the charges were published").isNegative();
        a.publish();
        b.publish();
        assertThat(a.bytes()).isZero();
        assertThat(b.bytes()).isZero();
        assertThat(backlog.bytes()).isZero();
    }
}
