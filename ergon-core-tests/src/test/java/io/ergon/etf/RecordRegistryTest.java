package io.ergon.etf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordRegistryTest {
    record Greet(String name) {
    }

    enum Colour { RED, DARK_RED }

    record Paint(Colour colour, int coats, double thickness, boolean glossy, byte[] recipe) {
    }

    record Order(long id, List<Greet> greetings, Map<String, Integer> counts, Pid owner, Atom status,
            java.math.BigInteger big, Object anything, String note) {
    }

    record HTTPError(int code) {
    }

    record Positive(int n) {
        Positive {
            if (n <= 0) {
                throw new IllegalArgumentException("not positive");
            }
        }
    }

    private final RecordRegistry registry = new RecordRegistry().register(Greet.class).register(Paint.class)
            .register(Order.class).register(HTTPError.class).register(Positive.class);

    private Object roundTrip(Object value) throws EtfException {
        byte[] bytes = new EtfEncoder(registry).encode(value);
        return new EtfDecoder(DecodeLimits.DEFAULT, registry).decode(bytes);
    }

    @Test
    void aRecordIsATaggedTupleOnTheWire() throws Exception {
        byte[] bytes = new EtfEncoder(registry).encode(new Greet("Ada"));
        assertThat(TermFormat.format(Etf.decode(bytes))).isEqualTo("{greet,<<65,100,97>>}");
        assertThat(roundTrip(new Greet("Ada"))).isEqualTo(new Greet("Ada"));
        Object decoded = roundTrip(new Greet("Ada"));
        assertThat(decoded instanceof Greet(String name) && name.equals("Ada")).isTrue();
    }

    @Test
    void componentTypesComeBack() throws Exception {
        Paint p = (Paint) roundTrip(new Paint(Colour.DARK_RED, 3, 0.25, true, new byte[] {1, 2}));
        assertThat(p.colour()).isEqualTo(Colour.DARK_RED);
        assertThat(p.coats()).isEqualTo(3);
        assertThat(p.thickness()).isEqualTo(0.25);
        assertThat(p.glossy()).isTrue();
        assertThat(p.recipe()).containsExactly(1, 2);
        assertThat(TermFormat.format(Etf.decode(new EtfEncoder(registry).encode(p))))
                .isEqualTo("{paint,dark_red,3,0.25,true,<<1,2>>}");

        Pid owner = new Pid(Atom.of("n@h"), 1, 0, 7);
        Order o = new Order(9, List.of(new Greet("a"), new Greet("b")), Map.of("x", 1), owner, Atom.OK,
                java.math.BigInteger.TEN.pow(30), Tuple.of(1L), null);
        Order back = (Order) roundTrip(o);
        assertThat(back.greetings()).containsExactly(new Greet("a"), new Greet("b"));
        assertThat(back.counts()).isEqualTo(Map.of("x", 1));
        assertThat(back).usingRecursiveComparison().isEqualTo(o);
        assertThat(back.note()).isNull(); // null goes out as 'undefined' and comes back as null
    }

    @Test
    void erlangShapedTuplesConvertToo() throws Exception {
        // What an Erlang peer would send: a character list for the String, an integer for the double.
        Object term = Tuple.of(Atom.of("greet"), List.of(65L, 100L, 97L));
        assertThat(registry.fromTerm(term, Greet.class)).isEqualTo(new Greet("Ada"));
        Object paint = new EtfDecoder(DecodeLimits.DEFAULT, registry).decode(new EtfEncoder().encode(
                Tuple.of(Atom.of("paint"), Atom.of("red"), 1, 2, Atom.FALSE, Binary.EMPTY)));
        assertThat(paint).isInstanceOf(Paint.class);
        assertThat(((Paint) paint).thickness()).isEqualTo(2.0);
    }

    @Test
    void tuplesThatDoNotFitStayTuples() throws Exception {
        Object t = roundTrip(Tuple.of(Atom.of("greet"), 42L));
        assertThat(t).isEqualTo(Tuple.of(Atom.of("greet"), 42L));
        assertThat(roundTrip(Tuple.of(Atom.of("positive"), -1L))).isInstanceOf(Tuple.class);
        assertThat(roundTrip(Tuple.of(Atom.of("positive"), 5L))).isEqualTo(new Positive(5));
        assertThat(roundTrip(Tuple.of(Atom.of("paint"), Atom.of("blue"), 1, 2.0, Atom.TRUE, Binary.EMPTY)))
                .isInstanceOf(Tuple.class);
        assertThatThrownBy(() -> registry.fromTerm(Tuple.of(Atom.of("greet"), 42L), Greet.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit java.lang.String");
        // Without a registry the decoder leaves every tuple alone.
        assertThat(Etf.decode(new EtfEncoder(registry).encode(new Greet("x")))).isInstanceOf(Tuple.class);
    }

    @Test
    void namesAndRegistrationRules() {
        assertThat(RecordRegistry.snakeCase("GetUserById")).isEqualTo("get_user_by_id");
        assertThat(RecordRegistry.snakeCase("HTTPError")).isEqualTo("http_error");
        assertThat(RecordRegistry.snakeCase("Greet")).isEqualTo("greet");
        assertThat(RecordRegistry.snakeCase("V2Request")).isEqualTo("v2_request");
        assertThat(registry.tagOf(HTTPError.class)).isEqualTo(Atom.of("http_error"));
        RecordRegistry r = new RecordRegistry().register(Greet.class, "hello");
        assertThat(r.toTerm(new Greet("x"))).isEqualTo(Tuple.of(Atom.of("hello"), "x"));
        record Other(String s) {
        }
        assertThatThrownBy(() -> r.register(Other.class, "hello")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already taken");
        record Bad(Thread t) {
        }
        assertThatThrownBy(() -> r.register(Bad.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no term mapping");
        record Unregistered(int x) {
        }
        assertThatThrownBy(() -> new EtfEncoder(r).encode(new Unregistered(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not registered");
    }

    @Test
    void registeredRecordsFormatAndCompareAsTheirTuples() {
        RecordRegistry.global().register(Greet.class);
        assertThat(TermFormat.format(new Greet("A"))).isEqualTo("{greet,<<65>>}");
        assertThat(io.ergon.term.Terms.exactlyEqual(new Greet("A"), Tuple.of(Atom.of("greet"), Binary.of("A"))))
                .isTrue();
    }
}
