package io.ergon.etf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.term.Atom;
import io.ergon.testkit.ChildJvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The atom table is bounded (Erlang's default is 1,048,576 atoms): past the bound, new atoms are refused and the
 * decoder reports it like any bad input, so a peer cannot exhaust memory with ever new atoms. Runs in a child JVM
 * with a small bound, since the table is per JVM.
 */
class AtomTableLimitTest {
    @Test
    void newAtomsAreRefusedOnceTheTableIsFull() throws Exception {
        try (ChildJvm child = ChildJvm.start(ChildJvm.Options.defaults().jvmOptions("-Dergon.atoms.max=5000")
                .readyWhen(null), Child.class, Duration.ofSeconds(60))) {
            int status = child.awaitExit(Duration.ofSeconds(60));
            String out = String.join("\n", child.lines());
            assertThat(out).contains("known atoms still decode",
                    "new atom refused: at byte 1: the atom table is full (5000 atoms");
            assertThat(status).as(out).isZero();
        }
    }

    /** Fills the table, then decodes a known atom and a new one. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            for (int i = 0; Atom.count() < Atom.MAX_ATOMS; i++) {
                Atom.of("filler_" + i);
            }
            EtfDecoder decoder = new EtfDecoder();
            if (decoder.decode(new EtfEncoder().encode(Atom.of("filler_1"))) == Atom.of("filler_1")) {
                System.out.println("known atoms still decode");
            }
            byte[] fresh = {(byte) 131, 119, 5, 'f', 'r', 'e', 's', 'h'};
            try {
                decoder.decode(fresh);
                System.out.println("a new atom was created past the limit");
                System.exit(1);
            } catch (EtfException e) {
                System.out.println("new atom refused: " + e.getMessage());
            }
            assertThatThrownBy(() -> Atom.of("another")).isInstanceOf(IllegalStateException.class);
        }
    }
}
