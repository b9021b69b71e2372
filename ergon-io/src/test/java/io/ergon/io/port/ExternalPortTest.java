package io.ergon.io.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.io.Active;
import io.ergon.io.IoError;
import io.ergon.io.Packet;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** External programs as ports, against real programs: {@code cat}, {@code sh} scripts, {@code head}. */
class ExternalPortTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<Long> started = new ArrayList<>();
    private Node node;

    @BeforeEach
    void start() {
        node = Node.start("port_test@localhost");
    }

    @AfterEach
    void stop() {
        node.close();
        // every program a test started ends with it, even if an assertion failed before its port closed
        for (long pid : started) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private ExternalPort open(Mailbox owner, List<String> command, PortOptions options) {
        ExternalPort port = ExternalPort.open(owner, command, options);
        started.add(port.osPid());
        return port;
    }

    @Test
    void catEchoesLinesItsStdinGetsAndExitsWithZeroAtTheEndOfItsInput() {
        try (Mailbox owner = node.mailbox()) {
            ExternalPort cat = open(owner, List.of("cat"), PortOptions.defaults().packet(Packet.line())
                    .exitStatus(true));
            cat.write("hello\n");
            assertThat(owner.receive(WAIT)).isInstanceOfSatisfying(PortData.class, d -> {
                assertThat(d.port()).isSameAs(cat);
                assertThat(d.text()).isEqualTo("hello\n");
            });
            owner.send(cat.port(), new PortCommand("by message\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(((PortData) owner.receive(WAIT)).text()).isEqualTo("by message\n");
            cat.write("last");
            cat.closeInput();
            assertThat(((PortData) owner.receive(WAIT)).text()).as("the end of the output").isEqualTo("last");
            assertThat(owner.receive(WAIT)).isEqualTo(new PortExitStatus(cat, 0));
            Awaitility.await().atMost(WAIT).until(() -> !cat.isOpen() && !node.isAlive(cat.port()));
        }
    }

    @Test
    void aScriptsExitStatusComesAfterAllItsOutput() {
        try (Mailbox owner = node.mailbox()) {
            ExternalPort script = open(owner, List.of("sh", "-c", "echo out; echo err >&2; exit 3"),
                    PortOptions.defaults().exitStatus(true).stderrToStdout(true));
            StringBuilder output = new StringBuilder();
            Object message;
            while ((message = owner.receive(WAIT)) instanceof PortData d) {
                output.append(d.text());
            }
            assertThat(output.toString()).isEqualTo("out\nerr\n");
            assertThat(message).isEqualTo(new PortExitStatus(script, 3));
        }
    }

    @Test
    void aProgramKilledBySignalExitsWith128PlusTheSignal() {
        try (Mailbox owner = node.mailbox()) {
            ExternalPort script = open(owner, List.of("sh", "-c", "kill -9 $$"), PortOptions.defaults().exitStatus(true));
            assertThat(owner.receive(WAIT)).isEqualTo(new PortExitStatus(script, 128 + 9));
        }
    }

    @Test
    void theOwnersExitClosesThePortAndEndsTheProgram() {
        Mailbox owner = node.mailbox();
        ExternalPort sleeper = open(owner, List.of("sleep", "600"), PortOptions.defaults());
        ProcessHandle program = ProcessHandle.of(sleeper.osPid()).orElseThrow();
        assertThat(program.isAlive()).isTrue();
        owner.close(Reasons.KILL);
        Awaitility.await().atMost(WAIT).until(() -> !program.isAlive());
        assertThat(sleeper.isOpen()).isFalse();
        assertThat(node.isAlive(sleeper.port())).isFalse();
    }

    @Test
    void activeOnceHoldsAFastProgramBackAtThePipe() {
        int total = 4_000_000;
        try (Mailbox owner = node.mailbox()) {
            ExternalPort head = open(owner, List.of("head", "-c", Integer.toString(total), "/dev/zero"),
                    PortOptions.defaults().active(Active.once()).exitStatus(true));
            long received = 0;
            int mostQueued = 0;
            int mostBuffered = 0;
            Object message;
            while ((message = owner.receive(WAIT)) instanceof PortData d) {
                received += d.data().length;
                mostQueued = Math.max(mostQueued, node.info(owner.pid()).messageQueueLength());
                mostBuffered = Math.max(mostBuffered, head.bufferedBytes());
                head.setActive(Active.once());
            }
            assertThat(received).isEqualTo(total);
            assertThat(message).isEqualTo(new PortExitStatus(head, 0));
            assertThat(mostQueued).as("messages waiting beside the one taken").isZero();
            assertThat(mostBuffered).isLessThanOrEqualTo(128 + 64 * 1024);
        }
    }

    @Test
    void aProgramThatCannotStartFailsWithEnoent() {
        try (Mailbox owner = node.mailbox()) {
            assertThatThrownBy(() -> ExternalPort.open(owner, List.of("/nonexistent/program"), PortOptions.defaults()))
                    .isInstanceOfSatisfying(IoError.class, e -> assertThat(e.reason()).isEqualTo(Atom.of("enoent")));
        }
    }
}
