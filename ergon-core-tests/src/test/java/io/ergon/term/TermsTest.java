package io.ergon.term;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TermsTest {
    @Test
    void zeroAndMinusZeroAreExactlyEqualAsInOtp25() {
        // OTP 25.2.3: 0.0 =:= -0.0 is true, and #{0.0 => a, -0.0 => b} has one key. (OTP 27 changed this.)
        assertThat(Terms.exactlyEqual(0.0, -0.0)).isTrue();
        assertThat(Terms.hash(0.0)).isEqualTo(Terms.hash(-0.0));
        assertThat(TermOrder.EXACT.compare(0.0, -0.0)).isZero();
        assertThat(Tuple.of(0.0)).isEqualTo(Tuple.of(-0.0));
    }

    @Test
    void integersAreOneTypeButNotFloats() {
        assertThat(Terms.exactlyEqual(1, 1L)).isTrue();
        assertThat(Terms.exactlyEqual(BigInteger.ONE, (short) 1)).isTrue();
        assertThat(Terms.exactlyEqual(1L, 1.0)).isFalse(); // 1 =:= 1.0 is false
        assertThat(Terms.exactlyEqual(1.0f, 1.0)).isTrue();
        assertThat(Tuple.of(1, "x", true)).isEqualTo(Tuple.of(1L, Binary.of("x"), Atom.TRUE));
        assertThat(Tuple.of(1, "x", true).hashCode()).isEqualTo(Tuple.of(1L, Binary.of("x"), Atom.TRUE).hashCode());
        assertThat(new ImproperList(List.of(1), 2)).isEqualTo(new ImproperList(List.of(1L), 2L));
    }

    @Test
    void mapsCompareWithoutOrder() {
        Map<Object, Object> a = new LinkedHashMap<>();
        a.put(1, "x");
        a.put(Atom.of("k"), List.of(2));
        Map<Object, Object> b = new HashMap<>();
        b.put(Atom.of("k"), List.of(2L));
        b.put(1L, Binary.of("x"));
        assertThat(Terms.exactlyEqual(a, b)).isTrue();
        assertThat(Terms.hash(a)).isEqualTo(Terms.hash(b));
        b.put(1L, Binary.of("y"));
        assertThat(Terms.exactlyEqual(a, b)).isFalse();
    }

    private enum Colour { DARK_RED }

    @Test
    void canonicalForms() {
        assertThat(Terms.canonical(Colour.DARK_RED)).isEqualTo(Atom.of("dark_red"));
        assertThat(Terms.canonical(BigInteger.valueOf(5))).isEqualTo(5L);
        assertThat(Terms.canonical((TermConvertible) () -> Tuple.of(Atom.OK))).isEqualTo(Tuple.of(Atom.OK));
        assertThat(Terms.asString(Terms.charList("h\u00e9 \u2603"))).contains("h\u00e9 \u2603");
        assertThat(Terms.asString(List.of(104L, -1L))).isEmpty();
    }
}
