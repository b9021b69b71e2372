package io.ergon.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class AtomTest {
    @Test
    void atomsAreInterned() {
        assertThat(Atom.of("hello")).isSameAs(Atom.of(new String("hello")));
    }

    @Test
    void atomsLongerThan255CharactersAreRefused() {
        assertThat(Atom.of("x".repeat(255)).name()).hasSize(255);
        assertThatThrownBy(() -> Atom.of("x".repeat(256))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256 characters");
        String snowmen = "\u2603".repeat(255);
        assertThat(Atom.of(snowmen).name()).isEqualTo(snowmen);
    }

    @Test
    void quotesAsErlangDoes() {
        assertThat(Atom.of("ok")).hasToString("ok");
        assertThat(Atom.of("EXIT")).hasToString("'EXIT'");
        assertThat(Atom.of("$gen_call")).hasToString("'$gen_call'");
        assertThat(Atom.of("node@host")).hasToString("node@host");
        assertThat(Atom.of("receive")).hasToString("'receive'");
        assertThat(Atom.of("")).hasToString("''");
    }

    @Property(tries = 200)
    void internedForAnyName(@ForAll @StringLength(max = 40) String name) {
        assertThat(Atom.of(name)).isSameAs(Atom.of(name));
    }
}
