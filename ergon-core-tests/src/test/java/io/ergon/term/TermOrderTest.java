package io.ergon.term;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The orders below were observed with lists:sort/1 and maps:keys/1 on OTP 25.2.3. */
class TermOrderTest {
    private static final Atom A = Atom.of("a@h");
    private static final Atom AA = Atom.of("aa@h");
    private static final Atom B = Atom.of("b@h");

    private static List<Object> sorted(java.util.Comparator<Object> order, Object... terms) {
        List<Object> l = new ArrayList<>(List.of(terms));
        l.sort(order);
        return l;
    }

    @Test
    void typesInErlangOrder() {
        Object[] expected = {1.0, Atom.of("a"), new Ref(A, 1, 1, 2, 3), new ExportFun(A, A, 2), new Port(A, 1, 1),
            new Pid(A, 1, 1, 1), Tuple.of(Atom.of("a")), Map.of(), List.of(), List.of(Atom.of("a")),
            Binary.of(new byte[] {1})};
        List<Object> shuffled = new ArrayList<>(List.of(expected));
        java.util.Collections.reverse(shuffled);
        shuffled.sort(TermOrder.STANDARD);
        assertThat(shuffled).containsExactly(expected);
    }

    @Test
    void pidsBySerialThenIdThenNodeThenCreation() {
        Pid b123 = new Pid(B, 1, 2, 3);
        Pid a213 = new Pid(A, 2, 1, 3);
        Pid a123 = new Pid(A, 1, 2, 3);
        Pid a119 = new Pid(A, 1, 1, 9);
        Pid a113 = new Pid(A, 1, 1, 3);
        Pid a211 = new Pid(A, 2, 1, 1);
        Pid a121 = new Pid(A, 1, 2, 1);
        assertThat(sorted(TermOrder.STANDARD, b123, a213, a123, a119, a113, a211, a121))
                .containsExactly(a113, a119, a211, a213, a121, a123, b123);
        Pid aa = new Pid(AA, 0, 0, 0);
        Pid b = new Pid(B, 0, 0, 0);
        Pid c0 = new Pid(A, 1, 1, 0);
        assertThat(sorted(TermOrder.STANDARD, c0, b, aa)).containsExactly(aa, b, c0);
    }

    @Test
    void refsByNodeCreationLengthThenWordsFromTheLast() {
        Ref c15 = new Ref(A, 1, 5);
        Ref c1321 = new Ref(A, 1, 3, 2, 1);
        Ref c1123 = new Ref(A, 1, 1, 2, 3);
        Ref c1223 = new Ref(A, 1, 2, 2, 3);
        Ref c1124 = new Ref(A, 1, 1, 2, 4);
        Ref c10001 = new Ref(A, 1, 0, 0, 0, 1);
        Ref c2 = new Ref(A, 2, 1);
        Ref aa = new Ref(AA, 0, 0);
        assertThat(sorted(TermOrder.STANDARD, aa, c2, c10001, c1124, c1223, c1123, c1321, c15))
                .containsExactly(c15, c1321, c1123, c1223, c1124, c10001, c2, aa);
    }

    @Test
    void portsByNodeCreationThenId() {
        Port c1i1 = new Port(A, 1, 1);
        Port c1i5 = new Port(A, 5, 1);
        Port c1big = new Port(A, 1L << 40, 1);
        Port c2i1 = new Port(A, 1, 2);
        Port aa = new Port(AA, 0, 0);
        assertThat(sorted(TermOrder.STANDARD, aa, c2i1, c1big, c1i5, c1i1)).containsExactly(c1i1, c1i5, c1big, c2i1, aa);
    }

    @Test
    void mapKeyOrderPutsIntegersBeforeFloats() {
        // maps:keys(#{1.0 => a, 1 => b, 2 => c, 0.5 => d}) is [1,2,0.5,1.0]
        assertThat(sorted(TermOrder.EXACT, 1.0, 1L, 2L, 0.5)).containsExactly(1L, 2L, 0.5, 1.0);
        // lists:sort([1.0, 1, 2, 0.5]) is [0.5,1.0,1,2]: 1 and 1.0 compare equal, the sort is stable.
        assertThat(sorted(TermOrder.STANDARD, 1.0, 1L, 2L, 0.5)).containsExactly(0.5, 1.0, 1L, 2L);
        assertThat(TermOrder.STANDARD.compare(BigInteger.TWO.pow(70), 1.0e21)).isPositive();
        assertThat(TermOrder.STANDARD.compare(Long.MAX_VALUE, 9.223372036854775807E18)).isNegative();
    }

    @Test
    void containersBitstringsAndLists() {
        Object[] expectedTuples = {Tuple.of(), Tuple.of(1L), Tuple.of(1.0), Tuple.of(Atom.of("b")),
            Tuple.of(Atom.of("a"), Atom.of("b"))};
        assertThat(sorted(TermOrder.EXACT, expectedTuples[4], expectedTuples[2], expectedTuples[0],
                expectedTuples[3], expectedTuples[1])).containsExactly(expectedTuples);
        Object m0 = Map.of(), ma0 = Map.of(Atom.of("a"), 0L), ma1 = Map.of(Atom.of("a"), 1L),
                mb0 = Map.of(Atom.of("b"), 0L), m2 = Map.of(1L, 0L, 2L, 0L);
        assertThat(sorted(TermOrder.EXACT, m2, mb0, ma1, ma0, m0)).containsExactly(m0, ma0, ma1, mb0, m2);
        // [<<>>,<<0:1>>,<<1>>,<<1:1>>,<<128>>,<<128,0:1>>,<<129>>,<<255,1:2>>]
        Object[] bits = {Binary.EMPTY, BitString.of(new byte[] {0}, 1), Binary.of(new byte[] {1}),
            BitString.of(new byte[] {(byte) 0x80}, 1), Binary.of(new byte[] {(byte) 128}),
            BitString.of(new byte[] {(byte) 128, 0}, 1), Binary.of(new byte[] {(byte) 129}),
            BitString.of(new byte[] {(byte) 255, (byte) 0x40}, 2)};
        List<Object> reversed = new ArrayList<>(List.of(bits));
        java.util.Collections.reverse(reversed);
        reversed.sort(TermOrder.STANDARD);
        assertThat(reversed).containsExactly(bits);
        // [[0|z],[1|a],[1|b],[1],[1,2]]
        Object[] lists = {new ImproperList(List.of(0L), Atom.of("z")), new ImproperList(List.of(1L), Atom.of("a")),
            new ImproperList(List.of(1L), Atom.of("b")), List.of(1L), List.of(1L, 2L)};
        assertThat(sorted(TermOrder.STANDARD, lists[4], lists[3], lists[2], lists[1], lists[0]))
                .containsExactly(lists);
    }

    @Test
    void localFunsBeforeExportFunsWhichGoByModuleFunctionArity() {
        Object local = new LocalFun(1, new byte[16], 0, Atom.of("e5"), 0, 1, new Pid(A, 1, 1, 1), List.of(), null);
        Object ab0 = new ExportFun(Atom.of("a"), Atom.of("b"), 0);
        Object abs = new ExportFun(Atom.of("erlang"), Atom.of("abs"), 1);
        Object map = new ExportFun(Atom.of("lists"), Atom.of("map"), 2);
        assertThat(sorted(TermOrder.STANDARD, map, local, abs, ab0)).containsExactly(local, ab0, abs, map);
    }
}
