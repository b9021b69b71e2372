package io.ergon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import java.util.List;
import org.junit.jupiter.api.Test;

class TermPatternTest {
    record Point(long x, long y) {
    }

    @Test
    void wildcardsMatchAnythingInTuplesAndLists() {
        TermPattern p = TermPattern.of("{ok, [_, 2, _]}");
        assertThat(p.test(Tuple.of(Atom.of("ok"), List.of(1L, 2L, Tuple.of())))).isTrue();
        assertThat(p.test(Tuple.of(Atom.of("ok"), List.of(1L, 3L, 3L)))).isFalse();
        assertThat(p.test(Tuple.of(Atom.of("ok"), List.of(1L, 2L)))).isFalse();
        assertThat(TermPattern.of("_").test("anything")).isTrue();
    }

    @Test
    void javaValuesMatchAsTheTermsTheyStandFor() {
        assertThat(TermPattern.of("{greeting, <<\"hi\">>}").test(Tuple.of(Atom.of("greeting"), "hi"))).isTrue();
        assertThat(TermPattern.of("true").test(Boolean.TRUE)).isTrue();
        assertThat(TermPattern.of("42").test(42)).isTrue();
    }

    @Test
    void underscoresInsideNamesAndQuotesAreNotWildcards() {
        assertThat(TermPattern.of("{'_', not_a_wildcard}").test(Tuple.of(Atom.of("_"), Atom.of("not_a_wildcard"))))
                .isTrue();
        assertThat(TermPattern.of("{'_', x}").test(Tuple.of(Atom.of("y"), Atom.of("x")))).isFalse();
        assertThat(TermPattern.of("\"a_b\"").test(List.of(97L, 95L, 98L))).isTrue();
    }

    @Test
    void aBadPatternIsAClearError() {
        assertThatThrownBy(() -> TermPattern.of("{ok, X}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{ok, X}");
    }
}
