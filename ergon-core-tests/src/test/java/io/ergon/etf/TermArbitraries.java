package io.ergon.etf;

import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.BitString;
import io.ergon.term.ExportFun;
import io.ergon.term.ImproperList;
import io.ergon.term.Pid;
import io.ergon.term.Port;
import io.ergon.term.Ref;
import io.ergon.term.Terms;
import io.ergon.term.Tuple;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of random terms in the codec's canonical representation. */
final class TermArbitraries {
    private TermArbitraries() {
    }

    static Arbitrary<Atom> atoms() {
        Arbitrary<String> ascii = Arbitraries.strings().withCharRange('a', 'z').withChars('_', '@', 'A', 'Z', ' ', '\'')
                .ofMaxLength(8);
        Arbitrary<String> unicode = Arbitraries.strings().withCharRange('\u00a0', '\u03ff')
                .withCharRange('\u2600', '\u26ff').withCharRange('\u0000', '\u001f').ofMaxLength(12);
        Arbitrary<String> longest = Arbitraries.strings().withCharRange('\u00a0', '\u03ff').ofLength(255);
        Arbitrary<String> astral = Arbitraries.integers().between(0x1F600, 0x1F64F).list().ofMaxSize(4)
                .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint,
                        StringBuilder::append).toString());
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(10, ascii), net.jqwik.api.Tuple.of(4, unicode),
                net.jqwik.api.Tuple.of(2, astral), net.jqwik.api.Tuple.of(1, longest),
                net.jqwik.api.Tuple.of(3, Arbitraries.just("ok"))).map(Atom::of);
    }

    static Arbitrary<Object> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 255).map(l -> (Object) l),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.integers().map(i -> (Object) (long) i),
                Arbitraries.bigIntegers().between(BigInteger.TWO.pow(300).negate(), BigInteger.TWO.pow(300))
                        .map(b -> Terms.canonical(b)),
                Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite).map(d -> (Object) d),
                Arbitraries.doubles().map(d -> (Object) d));
    }

    static Arbitrary<Object> bits() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(12);
        return Arbitraries.oneOf(bytes.map(Binary::of),
                Combinators.combine(bytes.filter(b -> b.length > 0), Arbitraries.integers().between(1, 7))
                        .as(BitString::of));
    }

    static Arbitrary<Object> identifiers() {
        // not nonode@nohost: the interop test's escript runs as that node, and OTP checks identifiers that name
        // itself with creation 0 as local ones (28-bit ids), refusing the others with badarg
        Arbitrary<Atom> node = Arbitraries.of("a@h", "remote@host.example", "other@nohost", "n\u00e9@h").map(Atom::of);
        Arbitrary<Integer> ints = Arbitraries.integers();
        return Arbitraries.oneOf(
                Combinators.combine(node, ints, ints, ints).as((n, i, s, c) -> (Object) new Pid(n, i, s, c)),
                Combinators.combine(node, Arbitraries.longs(), ints).as((n, i, c) -> (Object) new Port(n, i, c)),
                Combinators.combine(node, ints, ints.array(int[].class).ofMinSize(1).ofMaxSize(5))
                        .as((n, c, w) -> (Object) new Ref(n, c, w)),
                Combinators.combine(atoms(), atoms(), Arbitraries.integers().between(0, 255))
                        .as((m, f, a) -> (Object) new ExportFun(m, f, a)));
    }

    static Arbitrary<Object> scalars(boolean withIdentifiers) {
        return withIdentifiers
                ? Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, numbers()), net.jqwik.api.Tuple.of(3, atoms().map(a -> (Object) a)),
                        net.jqwik.api.Tuple.of(2, bits()), net.jqwik.api.Tuple.of(1, identifiers()),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just((Object) List.of())))
                : Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, numbers()), net.jqwik.api.Tuple.of(3, atoms().map(a -> (Object) a)),
                        net.jqwik.api.Tuple.of(2, bits()),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just((Object) List.of())));
    }

    /** Terms up to a few levels deep; {@code withIdentifiers} adds pids, ports, references and funs. */
    static Arbitrary<Object> terms(boolean withIdentifiers) {
        Arbitrary<Object> nested = Arbitraries.recursive(() -> scalars(withIdentifiers), TermArbitraries::containers,
                0, 3);
        // Now and then a map past 32 keys, which OTP writes in another order.
        Arbitrary<Object> bigMap = Combinators.combine(numbers().list().ofMinSize(33).ofMaxSize(45),
                scalars(withIdentifiers)).as((ks, v) -> {
                    Map<Object, Object> m = new LinkedHashMap<>();
                    for (Object k : ks) {
                        if (m.keySet().stream().noneMatch(x -> Terms.exactlyEqual(x, k))) {
                            m.put(k, v);
                        }
                    }
                    return (Object) m;
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(30, nested), net.jqwik.api.Tuple.of(1, bigMap));
    }

    private static Arbitrary<Object> containers(Arbitrary<Object> inner) {
        Arbitrary<List<Object>> lists = inner.list().ofMaxSize(4);
        return Arbitraries.oneOf(
                lists.map(l -> (Object) Tuple.of(l.toArray())),
                lists.map(l -> (Object) Terms.list(l.toArray())),
                Arbitraries.longs().between(0, 300).list().ofMaxSize(10).map(l -> (Object) Terms.list(l.toArray())),
                Combinators.combine(lists.filter(l -> !l.isEmpty()), inner)
                        .as((l, t) -> ImproperList.of(l, t)),
                Combinators.combine(inner.list().ofMaxSize(4), inner.list().ofMaxSize(4)).as((ks, vs) -> {
                    Map<Object, Object> m = new LinkedHashMap<>();
                    for (int i = 0; i < Math.min(ks.size(), vs.size()); i++) {
                        Object key = ks.get(i);
                        if (m.keySet().stream().noneMatch(k -> Terms.exactlyEqual(k, key))) {
                            m.put(key, vs.get(i));
                        }
                    }
                    return (Object) m;
                }));
    }
}
