package io.ergon.term;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Erlang's term order as {@link Comparator}s over Java values standing for terms (values are first made
 * {@link Terms#canonical canonical}, so {@code Integer 1} and {@code Long 1} are the same).
 *
 * <p>{@code number < atom < reference < fun < port < pid < tuple < map < [] < list < bitstring}. Within a type:
 * numbers by value; atoms by their text; references by node, creation, number of words, then words from the last;
 * local funs before export funs, which go by module, function, arity; ports by node, creation, id; pids by serial,
 * id, node, creation (as OTP 25 sorts them); tuples by size, then elements; maps by size, then keys in key order,
 * then values; lists element by element, a shorter one first; bitstrings bit by bit, a shorter one first.
 *
 * <p>{@link #STANDARD} is the order of {@code <} and {@code lists:sort}: there {@code 1} and {@code 1.0} compare
 * equal (it is not consistent with {@code equals}). {@link #EXACT} is the order of map keys, in which every
 * integer comes before every float; it tells apart exactly the terms that {@code =:=} tells apart.
 */
public final class TermOrder {
    /** The order of Erlang's comparison operators: {@code 1} and {@code 1.0} compare equal. */
    public static final Comparator<Object> STANDARD = (a, b) -> compare(a, b, false);
    /** Map key order: like {@link #STANDARD} but integers before floats; zero only for exactly equal terms. */
    public static final Comparator<Object> EXACT = (a, b) -> compare(a, b, true);

    private static final BigInteger TWO_53 = BigInteger.ONE.shiftLeft(53);

    private TermOrder() {
    }

    /** Compares two texts code point by code point, as Erlang compares atom names. */
    public static int compareText(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** Stands for "a non-empty list" where one list goes on and the other has its tail. */
    private static final Object MORE_ELEMENTS = new Object();

    /**
     * Compares two terms; {@code exact} selects map key order (see the class comment). Containers are walked with
     * an explicit stack, so deep terms do not exhaust the thread's stack.
     */
    public static int compare(Object a, Object b, boolean exact) {
        if (a == b) {
            return 0;
        }
        // The common map keys, without the work stack.
        if (a instanceof Atom x && b instanceof Atom y) {
            return compareAtoms(x, y);
        }
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        java.util.ArrayDeque<Object> work = new java.util.ArrayDeque<>();
        push(work, a, b, exact);
        while (!work.isEmpty()) {
            Object x = work.pop();
            Object y = work.pop();
            boolean ex = (Boolean) work.pop();
            if (x == y) {
                continue;
            }
            int c = compareOne(Terms.canonical(x), Terms.canonical(y), ex, work);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static void push(java.util.ArrayDeque<Object> work, Object a, Object b, boolean exact) {
        work.push(exact);
        work.push(b);
        work.push(a);
    }

    /** Compares scalars, or the headers of containers and pushes their parts (first part on top). */
    private static int compareOne(Object a, Object b, boolean exact, java.util.ArrayDeque<Object> work) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb || a == MORE_ELEMENTS) {
            return Integer.compare(ra, rb);
        }
        return switch (a) {
            case Atom x -> compareAtoms(x, (Atom) b);
            case Long x when b instanceof Long y -> Long.compare(x, y);
            case Double x when b instanceof Double y -> x < y ? -1 : (x > y ? 1 : 0);
            case Tuple x -> {
                Tuple y = (Tuple) b;
                if (x.size() != y.size()) {
                    yield Integer.compare(x.size(), y.size());
                }
                for (int i = x.size() - 1; i >= 0; i--) {
                    push(work, x.get(i), y.get(i), exact);
                }
                yield 0;
            }
            case List<?> x -> pushLists(x, List.of(), b, exact, work);
            case ImproperList x -> pushLists(x.elements(), x.tail(), b, exact, work);
            case Pid x -> comparePids(x, (Pid) b);
            case Ref x -> compareRefs(x, (Ref) b);
            case Port x -> comparePorts(x, (Port) b);
            case Map<?, ?> x -> pushMaps(x, (Map<?, ?>) b, exact, work);
            case Binary x when b instanceof Binary y -> x.compareTo(y);
            default -> ra == 0 ? compareNumbers(a, b, exact)
                    : ra == 10 ? compareBits(a, b)
                    : compareFuns(a, b, exact);
        };
    }

    /** Pushes the cell-by-cell comparison of {@code [xs | xtail]} with the list {@code b}. */
    private static int pushLists(List<?> xs, Object xtail, Object b, boolean exact,
            java.util.ArrayDeque<Object> work) {
        List<?> ys = b instanceof ImproperList il ? il.elements() : (List<?>) b;
        Object ytail = b instanceof ImproperList il ? il.tail() : List.of();
        int n = Math.min(xs.size(), ys.size());
        // Where one list goes on and the other has its tail, the tail meets a non-empty list.
        if (xs.size() == ys.size()) {
            push(work, xtail, ytail, exact);
        } else if (xs.size() < ys.size()) {
            push(work, xtail, MORE_ELEMENTS, exact);
        } else {
            push(work, MORE_ELEMENTS, ytail, exact);
        }
        Object[] xa = xs.toArray();
        Object[] ya = ys.toArray();
        for (int i = n - 1; i >= 0; i--) {
            push(work, xa[i], ya[i], exact);
        }
        return 0;
    }

    private static int pushMaps(Map<?, ?> x, Map<?, ?> y, boolean exact, java.util.ArrayDeque<Object> work) {
        if (x.size() != y.size()) {
            return Integer.compare(x.size(), y.size());
        }
        List<Map.Entry<?, ?>> ex = Terms.sortedEntries(x);
        List<Map.Entry<?, ?>> ey = Terms.sortedEntries(y);
        for (int i = ex.size() - 1; i >= 0; i--) {
            push(work, ex.get(i).getValue(), ey.get(i).getValue(), exact);
        }
        for (int i = ex.size() - 1; i >= 0; i--) {
            push(work, ex.get(i).getKey(), ey.get(i).getKey(), true);
        }
        return 0;
    }

    /** UTF-8 bytes compare, unsigned, in code point order. */
    private static int compareAtoms(Atom x, Atom y) {
        return x == y ? 0 : Integer.signum(Arrays.compareUnsigned(x.utf8, y.utf8));
    }

    private static int rank(Object t) {
        return switch (t) {
            case Long l -> 0;
            case Double d -> 0;
            case BigInteger b -> 0;
            case Atom a -> 1;
            case Ref r -> 2;
            case LocalFun f -> 3;
            case ExportFun f -> 3;
            case Port p -> 4;
            case Pid p -> 5;
            case Tuple tu -> 6;
            case Map<?, ?> m -> 7;
            case List<?> l -> l.isEmpty() ? 8 : 9;
            case Object o when o == MORE_ELEMENTS -> 9;
            case ImproperList l -> 9;
            case Binary b -> 10;
            case BitString b -> 10;
            default -> throw new IllegalArgumentException("not a term: " + t.getClass().getName());
        };
    }

    private static int compareNumbers(Object a, Object b, boolean exact) {
        boolean fa = a instanceof Double;
        boolean fb = b instanceof Double;
        if (fa != fb && exact) {
            return fa ? 1 : -1;
        }
        if (!fa && !fb) {
            return big(a).compareTo(big(b));
        }
        if (fa && fb) {
            double x = (Double) a;
            double y = (Double) b;
            return x < y ? -1 : (x > y ? 1 : 0);
        }
        // An integer against a float, by value, exactly.
        double d = fa ? (Double) a : (Double) b;
        BigInteger i = big(fa ? b : a);
        int c;
        if (i.abs().compareTo(TWO_53) <= 0) {
            double v = i.doubleValue();
            c = v < d ? -1 : (v > d ? 1 : 0);
        } else {
            c = new BigDecimal(i).compareTo(new BigDecimal(d));
        }
        return fa ? -c : c;
    }

    private static BigInteger big(Object n) {
        return n instanceof Long l ? BigInteger.valueOf(l) : (BigInteger) n;
    }



    private static int comparePids(Pid x, Pid y) {
        int c = Integer.compareUnsigned(x.serial(), y.serial());
        if (c == 0) {
            c = Integer.compareUnsigned(x.id(), y.id());
        }
        if (c == 0) {
            c = x.node().compareTo(y.node());
        }
        return c != 0 ? c : Integer.compareUnsigned(x.creation(), y.creation());
    }

    private static int comparePorts(Port x, Port y) {
        int c = x.node().compareTo(y.node());
        if (c == 0) {
            c = Integer.compareUnsigned(x.creation(), y.creation());
        }
        return c != 0 ? c : Long.compareUnsigned(x.id(), y.id());
    }

    private static int compareRefs(Ref x, Ref y) {
        int c = x.node().compareTo(y.node());
        if (c == 0) {
            c = Integer.compareUnsigned(x.creation(), y.creation());
        }
        if (c == 0) {
            c = Integer.compare(x.wordCount(), y.wordCount());
        }
        for (int i = x.wordCount() - 1; c == 0 && i >= 0; i--) {
            c = Integer.compareUnsigned(x.word(i), y.word(i));
        }
        return c;
    }

    private static int compareFuns(Object a, Object b, boolean exact) {
        if (a instanceof ExportFun x) {
            if (!(b instanceof ExportFun y)) {
                return 1;
            }
            int c = x.module().compareTo(y.module());
            if (c == 0) {
                c = x.function().compareTo(y.function());
            }
            return c != 0 ? c : Integer.compare(x.arity(), y.arity());
        }
        if (b instanceof ExportFun) {
            return -1;
        }
        LocalFun x = (LocalFun) a;
        LocalFun y = (LocalFun) b;
        int c = x.module().compareTo(y.module());
        if (c == 0) {
            c = Long.compare(x.oldIndex(), y.oldIndex());
        }
        if (c == 0) {
            c = Long.compare(x.oldUniq(), y.oldUniq());
        }
        if (c == 0) {
            c = compare(x.freeVars(), y.freeVars(), exact);
        }
        return c;
    }


    private static int compareBits(Object a, Object b) {
        byte[] x = a instanceof Binary bin ? bin.bytes : ((BitString) a).bytes;
        byte[] y = b instanceof Binary bin ? bin.bytes : ((BitString) b).bytes;
        long xbits = a instanceof Binary ? 8L * x.length : ((BitString) a).bitSize();
        long ybits = b instanceof Binary ? 8L * y.length : ((BitString) b).bitSize();
        long common = Math.min(xbits, ybits);
        int whole = (int) (common / 8);
        int c = Arrays.compareUnsigned(x, 0, whole, y, 0, whole);
        if (c != 0) {
            return Integer.signum(c);
        }
        int rest = (int) (common % 8);
        if (rest > 0) {
            int mask = 0xff00 >>> rest & 0xff;
            c = Integer.compare(x[whole] & mask, y[whole] & mask);
            if (c != 0) {
                return c;
            }
        }
        return Long.compare(xbits, ybits);
    }
}
