package io.ergon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.node.Actor;
import io.ergon.node.Exit;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestProbeTest {
    @RegisterExtension
    final ErgonExtension ergon = ErgonExtension.create();

    @Test
    void expectMessageComparesAsErlangDoesToo(TestProbe probe) {
        probe.send(probe.pid(), Binary.of("hi".getBytes()));
        assertThat(probe.expectMessage("hi")).isNotNull(); // a String is the binary it stands for
        probe.send(probe.pid(), 42L);
        probe.expectMessage(42L);
    }

    @Test
    void aWrongMessageFailsAndSaysWhatCame(TestProbe probe) {
        probe.send(probe.pid(), "apple");
        assertThatThrownBy(() -> probe.expectMessage("pear"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("apple").hasMessageContaining("pear");
        probe.send(probe.pid(), "apple");
        assertThatThrownBy(() -> probe.expectMessageClass(Integer.class))
                .isInstanceOf(AssertionError.class).hasMessageContaining("java.lang.Integer");
    }

    @Test
    void noMessageWithinATimeoutFails(TestProbe probe) {
        assertThatThrownBy(() -> probe.receiveMessage(Duration.ofMillis(20)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no message");
    }

    @Test
    void expectNoMessageFailsOnOneAndKeepsIt(TestProbe probe) {
        probe.expectNoMessage(Duration.ofMillis(20));
        probe.send(probe.pid(), "surprise");
        assertThatThrownBy(() -> probe.expectNoMessage(Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("surprise");
        probe.expectMessage("surprise"); // not lost
    }

    @Test
    void receiveWhileStopsAtTheFirstOtherMessageWhichStaysFirst(TestProbe probe) {
        for (Object m : List.of(1L, 2L, "stop", 3L)) {
            probe.send(probe.pid(), m);
        }
        List<Object> numbers = probe.receiveWhile(Duration.ofSeconds(3), Duration.ofMillis(200),
                m -> m instanceof Long);
        assertThat(numbers).containsExactly(1L, 2L);
        assertThat(probe.receiveMessages(2)).containsExactly("stop", 3L);
    }

    @Test
    void fishForMessageDiscardsWhatItDoesNotWant(TestProbe probe) {
        for (Object m : List.of("a", "b", "wanted", "c")) {
            probe.send(probe.pid(), m);
        }
        assertThat(probe.fishForMessage(Duration.ofSeconds(3), m -> m.equals("wanted"))).isEqualTo("wanted");
        probe.expectMessage("c");
        assertThatThrownBy(() -> probe.fishForMessage(Duration.ofMillis(50), m -> false))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void matchesErlangPatterns(TestProbe probe) {
        probe.send(probe.pid(), Tuple.of(Atom.of("reply"), 7L, Atom.of("ok")));
        Object m = probe.expectMessage(TermPattern.of("{reply, _, ok}"));
        assertThat(m).isInstanceOf(Tuple.class);
        probe.send(probe.pid(), Tuple.of(Atom.of("reply"), 7L, Atom.of("error")));
        assertThatThrownBy(() -> probe.expectMessage(TermPattern.of("{reply, _, ok}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("{reply, _, ok}");
    }

    /** Ends with the reason it is sent. */
    static final class Mortal extends Actor {
        @Override
        protected void handleMessage(Object message) {
            context().exit(self(), message);
        }
    }

    @Test
    void expectTerminatedGivesTheReasonAndLeavesOtherMessagesInOrder(TestProbe probe) {
        Pid mortal = ergon.node().spawn(Mortal::new);
        probe.watch(mortal);
        probe.send(probe.pid(), "before");
        ergon.node().send(mortal, Atom.of("tired"));
        assertThat(probe.expectTerminated(mortal)).isEqualTo(Atom.of("tired"));
        probe.expectMessage("before");
    }

    @Test
    void expectExitSeesALinkedProcessEnd(TestProbe probe) {
        Pid mortal = ergon.node().spawn(Mortal::new);
        probe.linkTo(mortal);
        ergon.node().send(mortal, Atom.of("done"));
        Exit exit = probe.expectExit(mortal, Atom.of("done"));
        assertThat(exit.from()).isEqualTo(mortal);
    }
}
