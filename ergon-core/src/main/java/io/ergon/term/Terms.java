package io.ergon.term;

import io.ergon.term.internal.TermInternals;
import io.ergon.term.internal.TermList;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Erlang's notions of sameness for Java values that stand for terms: {@link #exactlyEqual} is Erlang's {@code =:=}
 * and {@link #hash} a hash consistent with it, plus small helpers for lists and strings.
 *
 * <p>Values are compared as the terms they encode as: {@code Integer 1}, {@code Long 1} and {@code BigInteger 1}
 * are the same integer; {@code 1} and {@code 1.0} are not ({@code =:=} is exact); {@code 0.0} and {@code -0.0} are
 * the same float, as in OTP 25; a {@code String} or {@code byte[]} is the binary it encodes as; {@code Boolean} and
 * enums are atoms; a {@link TermConvertible} is its {@link TermConvertible#toTerm() term}; a registered record is
 * its tagged tuple.
 */
public final class Terms {
    static {
        TermInternals.install(new TermInternals.Access() {
            @Override
            public byte[] atomUtf8(Atom atom) {
                return atom.utf8;
            }

            @Override
            public byte[] binaryBytes(Binary binary) {
                return binary.bytes;
            }

            @Override
            public Binary wrapBinary(byte[] bytes) {
                return bytes.length == 0 ? Binary.EMPTY : new Binary(bytes);
            }

            @Override
            public byte[] bitStringBytes(BitString bits) {
                return bits.bytes;
            }

            @Override
            public BitString wrapBitString(byte[] bytes, int bitsInLastByte) {
                return BitString.wrap(bytes, bitsInLastByte);
            }

            @Override
            public Tuple wrapTuple(Object[] elements) {
                return Tuple.wrap(elements);
            }

            @Override
            public Object[] tupleElements(Tuple tuple) {
                return tuple.elements;
            }

            @Override
            public ByteList wrapByteList(byte[] bytes) {
                return new ByteList(bytes);
            }

            @Override
            public byte[] byteListBytes(ByteList list) {
                return list.bytes;
            }

            @Override
            public byte[] localFunEncoding(LocalFun fun) {
                return fun.encodingNoCopy();
            }
        });
    }

    private Terms() {
    }

    /**
     * The term a Java value stands for, in the representation the codec decodes to: integers as {@code Long} (or
     * {@code BigInteger} beyond a long), floats as {@code Double}, booleans and enums as atoms, {@code String} and
     * {@code byte[]} as {@link Binary}, convertible values and registered records as their terms. Other values,
     * including containers, come back as they are.
     */
    public static Object canonical(Object value) {
        Object v = value;
        for (int guard = 0; guard < 64; guard++) {
            switch (v) {
                case Long l -> {
                    return l;
                }
                case Atom a -> {
                    return a;
                }
                case Integer i -> {
                    return (long) i;
                }
                case Short s -> {
                    return (long) s;
                }
                case Byte b -> {
                    return (long) b;
                }
                case Character c -> {
                    return (long) c;
                }
                case BigInteger big -> {
                    return big.bitLength() < 64 ? (Object) big.longValue() : big;
                }
                case Float f -> {
                    return (double) f;
                }
                case Boolean b -> {
                    return Atom.of(b);
                }
                case String s -> {
                    return Binary.of(s);
                }
                case byte[] bytes -> {
                    return Binary.of(bytes);
                }
                case TermConvertible c -> v = c.toTerm();
                case Enum<?> e -> {
                    return Atom.of(enumAtomName(e));
                }
                case Record r -> {
                    Object term = TermInternals.recordToTerm(r);
                    if (term == null) {
                        return r;
                    }
                    v = term;
                }
                case null -> throw new NullPointerException("null is not a term");
                default -> {
                    return v;
                }
            }
        }
        throw new IllegalArgumentException("TermConvertible.toTerm() does not settle on a term: " + value.getClass());
    }

    /** The atom name an enum constant maps to: its name in lower case ({@code DARK_RED} is {@code dark_red}). */
    public static String enumAtomName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Erlang's {@code A =:= B} for two Java values standing for terms (see the class comment). Tuples and lists
     * are walked with an explicit stack, so deep terms do not exhaust the thread's stack.
     */
    public static boolean exactlyEqual(Object a, Object b) {
        if (a == b) {
            return true;
        }
        java.util.ArrayDeque<Object> work = new java.util.ArrayDeque<>();
        work.push(b);
        work.push(a);
        while (!work.isEmpty()) {
            Object x = work.pop();
            Object y = work.pop();
            if (x == y) {
                continue;
            }
            x = canonical(x);
            y = canonical(y);
            if (x == y) {
                continue;
            }
            boolean same = switch (x) {
                case Long p -> y instanceof Long q && p.longValue() == q.longValue();
                case Double p -> y instanceof Double q && p.doubleValue() == q.doubleValue();
                case Atom p -> false;
                case Tuple p -> {
                    if (!(y instanceof Tuple q) || p.size() != q.size()) {
                        yield false;
                    }
                    for (int i = p.size() - 1; i >= 0; i--) {
                        work.push(q.get(i));
                        work.push(p.get(i));
                    }
                    yield true;
                }
                case List<?> p -> y instanceof List<?> q && pushElements(p, q, work);
                case ImproperList p -> {
                    if (!(y instanceof ImproperList q) || !pushElements(p.elements(), q.elements(), work)) {
                        yield false;
                    }
                    work.push(q.tail());
                    work.push(p.tail());
                    yield true;
                }
                case Map<?, ?> p -> y instanceof Map<?, ?> q && mapsEqual(p, q);
                default -> x.equals(y);
            };
            if (!same) {
                return false;
            }
        }
        return true;
    }

    private static boolean pushElements(List<?> x, List<?> y, java.util.ArrayDeque<Object> work) {
        if (x.size() != y.size()) {
            return false;
        }
        Object[] xs = x.toArray();
        Object[] ys = y.toArray();
        for (int i = xs.length - 1; i >= 0; i--) {
            work.push(ys[i]);
            work.push(xs[i]);
        }
        return true;
    }

    private static boolean mapsEqual(Map<?, ?> x, Map<?, ?> y) {
        if (x.size() != y.size()) {
            return false;
        }
        List<Map.Entry<?, ?>> ex = sortedEntries(x);
        List<Map.Entry<?, ?>> ey = sortedEntries(y);
        for (int i = 0; i < ex.size(); i++) {
            if (!exactlyEqual(ex.get(i).getKey(), ey.get(i).getKey())
                    || !exactlyEqual(ex.get(i).getValue(), ey.get(i).getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The map's entries sorted by key in {@link TermOrder#EXACT exact} term order (Erlang's map key order). */
    static List<Map.Entry<?, ?>> sortedEntries(Map<?, ?> map) {
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        entries.sort((p, q) -> TermOrder.EXACT.compare(p.getKey(), q.getKey()));
        return entries;
    }

    /** How deep {@link #hash} looks; below that a container counts by its size only, so hashing never recurses
     * deeply (equal terms still hash alike). */
    private static final int HASH_DEPTH = 48;

    /** A hash consistent with {@link #exactlyEqual}: exactly equal terms hash alike. */
    public static int hash(Object term) {
        return hash(term, HASH_DEPTH);
    }

    private static int hash(Object term, int depth) {
        Object t = canonical(term);
        if (depth == 0) {
            return switch (t) {
                case Tuple x -> 0x7ab1e + x.size();
                case List<?> x -> 1 + x.size();
                case ImproperList x -> 2 + x.elements().size();
                case Map<?, ?> x -> 0x3a9 + x.size();
                default -> t.hashCode();
            };
        }
        return switch (t) {
            case Long l -> Long.hashCode(l);
            case Double d -> d == 0.0 ? 0 : Double.hashCode(d);
            case Tuple x -> {
                int h = 0x7ab1e;
                for (int i = 0; i < x.size(); i++) {
                    h = 31 * h + hash(x.get(i), depth - 1);
                }
                yield h;
            }
            case List<?> x -> listHash(x, depth);
            case ImproperList x -> 31 * listHash(x.elements(), depth) + hash(x.tail(), depth - 1);
            case Map<?, ?> x -> {
                int h = 0x3a9;
                for (Map.Entry<?, ?> e : x.entrySet()) {
                    h += hash(e.getKey(), depth - 1) ^ hash(e.getValue(), depth - 1);
                }
                yield h;
            }
            default -> t.hashCode();
        };
    }

    private static int listHash(List<?> list, int depth) {
        int h = 1;
        for (Object e : list) {
            h = 31 * h + hash(e, depth - 1);
        }
        return h;
    }

    /**
     * The text of a list of Unicode code points (Erlang's string), if the term is one: a proper list whose elements
     * are all integers that are Unicode scalar values. The empty list is the empty string.
     */
    public static Optional<String> asString(Object term) {
        if (term instanceof ByteList bytes) {
            return Optional.of(bytes.asLatin1String());
        }
        if (!(term instanceof List<?> list)) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder(list.size());
        for (Object e : list) {
            Object c = canonical(e);
            if (!(c instanceof Long l) || l < 0 || l > Character.MAX_CODE_POINT || (l >= 0xD800 && l <= 0xDFFF)) {
                return Optional.empty();
            }
            out.appendCodePoint((int) (long) l);
        }
        return Optional.of(out.toString());
    }

    /** The list of the text's code points: Erlang's string {@code "text"}. */
    public static List<Object> charList(String text) {
        boolean latin1 = true;
        for (int i = 0; i < text.length() && latin1; i++) {
            latin1 = text.charAt(i) <= 0xff;
        }
        if (latin1) {
            return new ByteList(text.getBytes(StandardCharsets.ISO_8859_1));
        }
        return new TermList(text.codePoints().mapToObj(c -> (Object) (long) c).toArray());
    }

    /** An immutable proper list of these elements (none null). */
    public static List<Object> list(Object... elements) {
        Object[] copy = elements.clone();
        for (Object e : copy) {
            if (e == null) {
                throw new NullPointerException("list element is null");
            }
        }
        return new TermList(copy);
    }
}
