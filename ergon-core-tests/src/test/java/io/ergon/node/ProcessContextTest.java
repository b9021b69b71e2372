package io.ergon.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One process API for actors and mailboxes: code written against ProcessContext behaves the same from both. */
class ProcessContextTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Node node;

    @BeforeEach
    void start() {
        node = Node.start("context_test@localhost", NodeOptions.defaults().distributed(false));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /** Helper code that knows nothing of actors or mailboxes: spawns a linked echo, monitors it, kills it. */
    private static Object linkMonitorAndKill(ProcessContext process) {
        process.trapExit(true);
        Pid child = process.spawnLink(Actors.Idle::new);
        Ref mon = process.monitor(child);
        process.exit(child, Reasons.KILL);
        Object down = process.receive(m -> m instanceof Down d && d.ref().equals(mon), WAIT);
        Object exit = process.receive(m -> m instanceof Exit e && e.from().equals(child), WAIT);
        return java.util.List.of(((Down) down).reason(), ((Exit) exit).reason());
    }

    @Test
    void aMailboxIsAProcessContext() {
        try (Mailbox me = node.mailbox()) {
            ProcessContext process = me;
            assertThat(process.self()).isEqualTo(me.pid());
            assertThat(process.node()).isSameAs(node);
            assertThat(process.parent()).isNull();
            assertThat(linkMonitorAndKill(process)).isEqualTo(java.util.List.of(Reasons.KILLED, Reasons.KILLED));

            process.register("context_mailbox");
            assertThat(node.whereis("context_mailbox")).isEqualTo(me.pid());
            process.sendAfter("context_mailbox", "tick", Duration.ofMillis(10));
            assertThat(process.receive(WAIT)).isEqualTo("tick");
        }
    }

    @Test
    void anActorActsThroughItsContextAndItsShorthands() {
        try (Mailbox me = node.mailbox()) {
            Pid actor = node.spawn(() -> new Actor() {
                @Override
                protected void handleMessage(Object message) {
                    assertThat(context().self()).isEqualTo(self());
                    send(me.pid(), linkMonitorAndKill(context()));
                }
            });
            node.send(actor, "go");
            assertThat(me.receive(WAIT)).isEqualTo(java.util.List.of(Reasons.KILLED, Reasons.KILLED));
        }
    }

    @Test
    void aClosedMailboxRefusesToActWithItsExitReason() {
        Mailbox me = node.mailbox();
        me.close(Atom.of("gone"));
        assertThatThrownBy(() -> me.receive(Duration.ZERO)).isInstanceOf(ExitException.class)
                .extracting(e -> ((ExitException) e).reason()).isEqualTo(Atom.of("gone"));
        assertThatThrownBy(() -> me.spawnLink(Actors.Idle::new)).isInstanceOf(ExitException.class);
    }
}
