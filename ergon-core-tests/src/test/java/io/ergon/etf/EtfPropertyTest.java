package io.ergon.etf;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.term.TermFormat;
import io.ergon.term.TermOrder;
import io.ergon.term.TermParser;
import io.ergon.term.Terms;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Round trips over generated terms: encode/decode, byte-identical re-encoding, format/parse, order and hash. */
class EtfPropertyTest {
    @Provide
    Arbitrary<Object> anyTerm() {
        return TermArbitraries.terms(true);
    }

    @Provide
    Arbitrary<Object> readableTerm() {
        return TermArbitraries.terms(false);
    }

    @Property(tries = 1500)
    void decodeOfEncodeIsTheSameTermAndReencodesIdentically(@ForAll("anyTerm") Object term) throws Exception {
        byte[] bytes = Etf.encode(term);
        Object back = Etf.decode(bytes);
        assertThat(Terms.exactlyEqual(term, back)).as(TermFormat.format(term)).isTrue();
        assertThat(Terms.hash(back)).isEqualTo(Terms.hash(term));
        assertThat(TermOrder.EXACT.compare(term, back)).isZero();
        assertThat(Etf.encode(back)).isEqualTo(bytes);
        // A Java map's iteration order is its own; once decoded, the order is Erlang's and stays.
        assertThat(TermFormat.format(Etf.decode(Etf.encode(back)))).isEqualTo(TermFormat.format(back));
    }

    @Property(tries = 1500)
    void parseOfFormatIsTheSameTerm(@ForAll("readableTerm") Object term) throws Exception {
        String text = TermFormat.format(term);
        Object parsed = TermParser.parse(text);
        assertThat(Terms.exactlyEqual(term, parsed)).as(text).isTrue();
        assertThat(TermFormat.format(parsed)).isEqualTo(text);
    }

    @Property(tries = 1000)
    void compressedRoundTrip(@ForAll("anyTerm") Object term) throws Exception {
        byte[] z = new EtfEncoder().encodeCompressed(term, 6);
        assertThat(Terms.exactlyEqual(Etf.decode(z), term)).isTrue();
    }

    @Property(tries = 500)
    void standardOrderIsATotalPreorder(@ForAll("anyTerm") Object a, @ForAll("anyTerm") Object b,
            @ForAll("anyTerm") Object c) {
        int ab = TermOrder.STANDARD.compare(a, b);
        assertThat(Integer.signum(TermOrder.STANDARD.compare(b, a))).isEqualTo(-Integer.signum(ab));
        if (ab <= 0 && TermOrder.STANDARD.compare(b, c) <= 0) {
            assertThat(TermOrder.STANDARD.compare(a, c)).isLessThanOrEqualTo(0);
        }
        assertThat(TermOrder.EXACT.compare(a, b) == 0).isEqualTo(Terms.exactlyEqual(a, b));
    }
}
