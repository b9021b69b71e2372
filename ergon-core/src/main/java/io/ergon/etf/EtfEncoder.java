package io.ergon.etf;

import static io.ergon.etf.EtfTags.*;

import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.BitString;
import io.ergon.term.ByteList;
import io.ergon.term.ExportFun;
import io.ergon.term.ImproperList;
import io.ergon.term.LocalFun;
import io.ergon.term.Pid;
import io.ergon.term.Port;
import io.ergon.term.Ref;
import io.ergon.term.TermConvertible;
import io.ergon.term.TermOrder;
import io.ergon.term.Terms;
import io.ergon.term.Tuple;
import io.ergon.term.internal.TermInternals;
import io.ergon.term.internal.TermList;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * Encodes terms in the External Term Format, making the choices OTP makes: the smallest integer tag
 * (97, 98, then 110/111), {@code SMALL_ATOM_UTF8_EXT} (or {@code ATOM_UTF8_EXT} past 255 bytes), {@code STRING_EXT}
 * for proper lists of at most 65535 integers 0..255, maps of up to 32 keys in map key order (larger maps, like
 * OTP's, in the reverse of their iteration order, so that a decoded map goes out as it came in), {@code NEW_PID_EXT}, {@code NEWER_REFERENCE_EXT}, {@code NEW_PORT_EXT} ({@code V4_PORT_EXT}
 * from id 2^28 on, as OTP 25 does), {@code NEW_FLOAT_EXT}.
 *
 * <p>Java values map as in {@code docs/TERMS.md}: {@code Integer}, {@code Short}, {@code Byte}, {@code Character}
 * and {@code BigInteger} as integers, {@code Float} as a float, {@code Boolean} and enums as atoms, {@code String}
 * as its UTF-8 binary, {@code byte[]} as a binary, {@link TermConvertible} as its term, records registered with the
 * encoder's {@link RecordRegistry} as tagged tuples. Anything else, {@code null}, NaN and infinities are refused with
 * {@link IllegalArgumentException}. Encoding does not recurse, so nesting depth is limited only by memory.
 *
 * <p>Not thread-safe (it keeps a scratch stack); one per thread or connection.
 *
 * <p>One class of some 600 lines for one idea, the encoder of one format: a case per Java type over one buffer and
 * one explicit stack.
 */
public final class EtfEncoder {
    private static final Object NIL_MARK = new Object();
    private static final int MAX_SORTED_MAP = 32;

    /** A marker on the work stack: the free variables of a fun end here; patch its size. */
    private record FunEnd(int sizeAt) {
    }

    private static final TermInternals.Access ACCESS = TermInternals.access();

    private final RecordRegistry registry;
    private final TermInternals.Access access = ACCESS;
    private Object[] stack = new Object[32];
    private int sp;

    /** An encoder that maps records through the {@link RecordRegistry#global() global registry}. */
    public EtfEncoder() {
        this(RecordRegistry.global());
    }

    public EtfEncoder(RecordRegistry registry) {
        this.registry = java.util.Objects.requireNonNull(registry, "registry");
    }

    /** The version byte and the term, as {@code term_to_binary/1} gives them. */
    public byte[] encode(Object term) {
        EtfBuffer out = new EtfBuffer(64);
        encodeVersioned(term, out);
        return out.toByteArray();
    }

    /** Appends the version byte and the term. */
    public void encodeVersioned(Object term, EtfBuffer out) {
        out.put(VERSION);
        encode(term, out);
    }

    /**
     * Appends the term without a version byte (as after a distribution header).
     *
     * @throws IllegalArgumentException if the term holds a value that has no term mapping; the buffer then holds
     *     a partial encoding from its former size on
     */
    public void encode(Object term, EtfBuffer out) {
        int base = sp;
        try {
            writeRec(term, out, 0);
        } finally {
            while (sp > base) {
                stack[--sp] = null;
            }
        }
    }

    /** How deep {@link #writeRec} recurses before handing a subterm to the work-stack loop. */
    private static final int MAX_RECURSION = 64;

    /** Writes a term recursively while shallow (fast), through the explicit work stack when deeper. */
    private void writeRec(Object t, EtfBuffer out, int depth) {
        if (writeScalar(t, out)) {
            return;
        }
        if (depth >= MAX_RECURSION) {
            iterate(t, out);
            return;
        }
        if (t instanceof Tuple tuple) {
            Object[] elements = ACCESS.tupleElements(tuple);
            tupleHeader(elements.length, out);
            for (Object e : elements) {
                writeRec(e, out, depth + 1);
            }
        } else if (t instanceof List<?> list && !(t instanceof ByteList)) {
            Object[] elements = listHeader(list, out);
            if (elements != null) {
                for (Object e : elements) {
                    writeRec(e, out, depth + 1);
                }
                out.put(NIL_EXT);
            }
        } else if (t instanceof Map<?, ?> map) {
            for (Object e : mapPairs(map, out)) {
                writeRec(e, out, depth + 1);
            }
        } else {
            iterate(t, out);
        }
    }

    /** Writes one term with the explicit work stack (no recursion, any depth). */
    private void iterate(Object term, EtfBuffer out) {
        int base = sp;
        push(term);
        while (sp > base) {
            Object t = stack[--sp];
            stack[sp] = null;
            write(t, out);
        }
    }

    /**
     * The version byte and the term compressed with zlib at {@code level} (1..9), as
     * {@code term_to_binary(T, [{compressed, Level}])} gives them: tag 80, the uncompressed size and the zlib data;
     * or the plain encoding when compressing would not make it smaller.
     */
    public byte[] encodeCompressed(Object term, int level) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("compression level must be 0..9, not " + level);
        }
        EtfBuffer plain = new EtfBuffer(256);
        encode(term, plain);
        int size = plain.size();
        if (level == 0) {
            return withVersion(plain);
        }
        // OTP keeps the compressed form only if its zlib data fits in the plain size less 4 bytes.
        int room = size - 4;
        if (room <= 0) {
            return withVersion(plain);
        }
        byte[] out = new byte[6 + room + 1];
        Deflater deflater = new Deflater(level);
        try {
            deflater.setInput(plain.array(), 0, size);
            deflater.finish();
            int n = 0;
            while (!deflater.finished() && n <= room) {
                int got = deflater.deflate(out, 6 + n, room + 1 - n);
                if (got == 0 && !deflater.finished()) {
                    break;
                }
                n += got;
            }
            if (!deflater.finished() || n > room) {
                return withVersion(plain);
            }
            out[0] = (byte) VERSION;
            out[1] = (byte) COMPRESSED;
            out[2] = (byte) (size >>> 24);
            out[3] = (byte) (size >>> 16);
            out[4] = (byte) (size >>> 8);
            out[5] = (byte) size;
            return Arrays.copyOf(out, 6 + n);
        } finally {
            deflater.end();
        }
    }

    private static byte[] withVersion(EtfBuffer plain) {
        byte[] out = new byte[plain.size() + 1];
        out[0] = (byte) VERSION;
        System.arraycopy(plain.array(), 0, out, 1, plain.size());
        return out;
    }

    private void push(Object o) {
        if (sp == stack.length) {
            stack = Arrays.copyOf(stack, sp * 2);
        }
        stack[sp++] = o;
    }

    /** Writes one value; containers write their header and push their parts, last first. */
    private void write(Object t, EtfBuffer out) {
        // The usual containers first, without the type switch's dispatch.
        if (t instanceof Tuple tuple) {
            writeTuple(ACCESS.tupleElements(tuple), out);
            return;
        }
        if (t instanceof TermList list) {
            writeList(list, out);
            return;
        }
        if (writeScalar(t, out)) {
            return;
        }
        switch (t) {
            case Atom a -> writeAtom(a, out);
            case Long l -> writeLong(l, out);
            case Tuple tuple -> writeTuple(access.tupleElements(tuple), out);
            case Binary b -> writeBinary(access.binaryBytes(b), out);
            case ByteList bytes -> writeByteList(access.byteListBytes(bytes), out);
            case List<?> list -> writeList(list, out);
            case Integer i -> writeLong(i, out);
            case String s -> writeBinary(s.getBytes(StandardCharsets.UTF_8), out);
            case Double d -> writeDouble(d, out);
            case Pid pid -> writePid(pid, out);
            case Ref ref -> writeRef(ref, out);
            case Map<?, ?> map -> writeMap(map, out);
            case ImproperList list -> {
                List<Object> elements = list.elements();
                out.ensure(5);
                out.rawByte(LIST_EXT);
                out.rawInt(elements.size());
                push(list.tail());
                for (int i = elements.size() - 1; i >= 0; i--) {
                    push(elements.get(i));
                }
            }
            case Boolean b -> writeAtom(Atom.of(b), out);
            case BigInteger big -> writeBig(big, out);
            case byte[] bytes -> writeBinary(bytes, out);
            case BitString bits -> {
                byte[] bytes = access.bitStringBytes(bits);
                out.ensure(6 + bytes.length);
                out.rawByte(BIT_BINARY_EXT);
                out.rawInt(bytes.length);
                out.rawByte(bits.bitsInLastByte());
                out.put(bytes);
            }
            case Port port -> {
                // OTP 25 writes NEW_PORT_EXT only for ids below 2^28 (its largest port number), else V4_PORT_EXT.
                boolean v4 = (port.id() >>> 28) != 0;
                out.put(v4 ? V4_PORT_EXT : NEW_PORT_EXT);
                writeAtom(port.node(), out);
                out.ensure(12);
                if (v4) {
                    out.rawLong(port.id());
                } else {
                    out.rawInt((int) port.id());
                }
                out.rawInt(port.creation());
            }
            case ExportFun fun -> {
                out.put(EXPORT_EXT);
                writeAtom(fun.module(), out);
                writeAtom(fun.function(), out);
                out.ensure(2);
                out.rawByte(SMALL_INTEGER_EXT);
                out.rawByte(fun.arity());
            }
            case LocalFun fun -> writeFun(fun, out);
            case FunEnd end -> out.setInt(end.sizeAt, out.size() - end.sizeAt);
            case Short s -> writeLong(s, out);
            case Byte b -> writeLong(b, out);
            case Character c -> writeLong(c, out);
            case Float f -> writeDouble(f, out);
            case TermConvertible c -> push(java.util.Objects.requireNonNull(c.toTerm(),
                    () -> c.getClass().getName() + ".toTerm() returned null"));
            case Enum<?> e -> writeAtom(Atom.of(Terms.enumAtomName(e)), out);
            case Record r -> {
                RecordType rt = registry.typeOf(r.getClass());
                if (rt == null) {
                    throw new IllegalArgumentException("cannot encode record " + r.getClass().getName()
                            + ": it is not registered (call registry.register(" + r.getClass().getSimpleName()
                            + ".class))");
                }
                writeTuple(access.tupleElements(rt.toTuple(r)), out);
            }
            default -> {
                if (t == NIL_MARK) {
                    out.put(NIL_EXT);
                } else {
                    throw new IllegalArgumentException("cannot encode " + t.getClass().getName() + " as a term");
                }
            }
        }
    }

    private static void writeAtom(Atom a, EtfBuffer out) {
        byte[] utf8 = ACCESS.atomUtf8(a);
        int n = utf8.length;
        out.ensure(3 + n);
        if (n <= 255) {
            out.rawByte(SMALL_ATOM_UTF8_EXT);
            out.rawByte(n);
        } else {
            out.rawByte(ATOM_UTF8_EXT);
            out.rawShort(n);
        }
        System.arraycopy(utf8, 0, out.buf, out.pos, n);
        out.pos += n;
    }

    private static void writeLong(long v, EtfBuffer out) {
        if ((v & ~0xffL) == 0) {
            out.ensure(2);
            out.rawByte(SMALL_INTEGER_EXT);
            out.rawByte((int) v);
        } else if (v == (int) v) {
            out.ensure(5);
            out.rawByte(INTEGER_EXT);
            out.rawInt((int) v);
        } else {
            long mag = v < 0 ? -v : v; // Long.MIN_VALUE stays 2^63 when read unsigned
            int n = (64 - Long.numberOfLeadingZeros(mag) + 7) >>> 3;
            out.ensure(3 + n);
            out.rawByte(SMALL_BIG_EXT);
            out.rawByte(n);
            out.rawByte(v < 0 ? 1 : 0);
            for (int i = 0; i < n; i++) {
                out.rawByte((int) (mag >>> (8 * i)));
            }
        }
    }

    private static void writeBig(BigInteger v, EtfBuffer out) {
        if (v.bitLength() < 64) {
            writeLong(v.longValue(), out);
            return;
        }
        byte[] be = v.abs().toByteArray();
        int skip = be[0] == 0 ? 1 : 0;
        int n = be.length - skip;
        out.ensure(6 + n);
        if (n <= 255) {
            out.rawByte(SMALL_BIG_EXT);
            out.rawByte(n);
        } else {
            out.rawByte(LARGE_BIG_EXT);
            out.rawInt(n);
        }
        out.rawByte(v.signum() < 0 ? 1 : 0);
        for (int i = be.length - 1; i >= skip; i--) {
            out.rawByte(be[i]);
        }
    }

    private static void writeDouble(double d, EtfBuffer out) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("Erlang has no float " + d);
        }
        out.ensure(9);
        out.rawByte(NEW_FLOAT_EXT);
        out.rawLong(Double.doubleToRawLongBits(d));
    }

    private static void writeBinary(byte[] bytes, EtfBuffer out) {
        out.ensure(5 + bytes.length);
        out.rawByte(BINARY_EXT);
        out.rawInt(bytes.length);
        System.arraycopy(bytes, 0, out.buf, out.pos, bytes.length);
        out.pos += bytes.length;
    }

    private void writeTuple(Object[] elements, EtfBuffer out) {
        tupleHeader(elements.length, out);
        writeSeq(elements, 0, elements.length, out);
    }

    private static void tupleHeader(int n, EtfBuffer out) {
        out.ensure(5);
        if (n <= 255) {
            out.rawByte(SMALL_TUPLE_EXT);
            out.rawByte(n);
        } else {
            out.rawByte(LARGE_TUPLE_EXT);
            out.rawInt(n);
        }
    }

    /**
     * Writes {@code items[from, to)} in order: scalars at once, and from the first container on, everything
     * onto the work stack (so the order stays right without recursion).
     *
     * @return true if all were written at once
     */
    private boolean writeSeq(Object[] items, int from, int to, EtfBuffer out) {
        for (int i = from; i < to; i++) {
            if (!writeScalar(items[i], out)) {
                for (int j = to - 1; j >= i; j--) {
                    push(items[j]);
                }
                return false;
            }
        }
        return true;
    }

    /** Writes the common scalars directly; false for anything else (left to {@link #write}). */
    private static boolean writeScalar(Object t, EtfBuffer out) {
        if (t instanceof Atom a) {
            writeAtom(a, out);
        } else if (t instanceof Long l) {
            writeLong(l, out);
        } else if (t instanceof Binary b) {
            writeBinary(ACCESS.binaryBytes(b), out);
        } else if (t instanceof Double d) {
            writeDouble(d, out);
        } else if (t instanceof Integer i) {
            writeLong(i, out);
        } else if (t instanceof Pid p) {
            writePid(p, out);
        } else if (t instanceof Ref r) {
            writeRef(r, out);
        } else if (t instanceof String s) {
            writeBinary(s.getBytes(StandardCharsets.UTF_8), out);
        } else {
            return false;
        }
        return true;
    }

    private void writeByteList(byte[] bytes, EtfBuffer out) {
        int n = bytes.length;
        if (n == 0) {
            out.put(NIL_EXT);
        } else if (n <= 65535) {
            out.ensure(3 + n);
            out.rawByte(STRING_EXT);
            out.rawShort(n);
            System.arraycopy(bytes, 0, out.buf, out.pos, n);
            out.pos += n;
        } else {
            out.ensure(6 + 2 * n);
            out.rawByte(LIST_EXT);
            out.rawInt(n);
            for (byte b : bytes) {
                out.rawByte(SMALL_INTEGER_EXT);
                out.rawByte(b);
            }
            out.rawByte(NIL_EXT);
        }
    }

    private void writeList(List<?> list, EtfBuffer out) {
        Object[] elements = listHeader(list, out);
        if (elements == null) {
            return;
        }
        push(NIL_MARK);
        if (writeSeq(elements, 0, elements.length, out)) {
            sp--;
            stack[sp] = null;
            out.put(NIL_EXT);
        }
    }

    /**
     * Writes a proper list whole if it is empty or a string ({@code STRING_EXT}, as OTP chooses it), and returns
     * null; otherwise writes the {@code LIST_EXT} header and returns the elements, which the caller writes,
     * followed by {@code NIL_EXT}.
     */
    private static Object[] listHeader(List<?> list, EtfBuffer out) {
        int n = list.size();
        if (n == 0) {
            out.put(NIL_EXT);
            return null;
        }
        Object[] elements = list instanceof TermList tl ? tl.array() : list.toArray();
        if (n <= 65535 && isByteString(elements, n)) {
            out.ensure(3 + n);
            out.rawByte(STRING_EXT);
            out.rawShort(n);
            for (int i = 0; i < n; i++) {
                out.rawByte((int) integral(elements[i]));
            }
            return null;
        }
        out.ensure(5);
        out.rawByte(LIST_EXT);
        out.rawInt(n);
        return elements;
    }

    private static boolean isByteString(Object[] elements, int n) {
        for (int i = 0; i < n; i++) {
            long v = integral(elements[i]);
            if ((v & ~0xffL) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The value of a small integer element, or -1 for anything else. */
    private static long integral(Object o) {
        if (o instanceof Long l) {
            return l;
        }
        if (o instanceof Integer i) {
            return i;
        }
        if (o instanceof Short s) {
            return s;
        }
        if (o instanceof Byte b) {
            return b;
        }
        if (o instanceof Character c) {
            return c;
        }
        if (o instanceof BigInteger big && big.bitLength() < 9) {
            return big.longValue();
        }
        return -1;
    }

    private void writeMap(Map<?, ?> map, EtfBuffer out) {
        Object[] pairs = mapPairs(map, out);
        writeSeq(pairs, 0, pairs.length, out);
    }

    /**
     * Writes the {@code MAP_EXT} header and returns keys and values in the order they go out: up to 32 keys
     * sorted in map key order, more (as OTP does for its large maps) in the reverse of the iteration order.
     */
    private static Object[] mapPairs(Map<?, ?> map, EtfBuffer out) {
        int n = map.size();
        out.ensure(5);
        out.rawByte(MAP_EXT);
        out.rawInt(n);
        Object[] pairs = new Object[2 * n];
        boolean large = n > MAX_SORTED_MAP;
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (i == pairs.length) {
                throw new IllegalArgumentException("map changed while being encoded");
            }
            int at = large ? pairs.length - 2 - i : i;
            pairs[at] = e.getKey();
            pairs[at + 1] = e.getValue();
            i += 2;
        }
        if (i != pairs.length) {
            throw new IllegalArgumentException("map changed while being encoded");
        }
        if (!large && n > 1) {
            sortPairs(pairs, n);
        }
        return pairs;
    }

    /** Insertion sort of key/value pairs by key in map key order (at most 32 keys; usually already sorted). */
    private static void sortPairs(Object[] pairs, int n) {
        for (int i = 1; i < n; i++) {
            Object k = pairs[2 * i];
            Object v = pairs[2 * i + 1];
            int j = i - 1;
            while (j >= 0 && TermOrder.EXACT.compare(pairs[2 * j], k) > 0) {
                pairs[2 * j + 2] = pairs[2 * j];
                pairs[2 * j + 3] = pairs[2 * j + 1];
                j--;
            }
            pairs[2 * j + 2] = k;
            pairs[2 * j + 3] = v;
        }
    }

    private static void writePid(Pid pid, EtfBuffer out) {
        out.put(NEW_PID_EXT);
        writeAtom(pid.node(), out);
        out.ensure(12);
        out.rawInt(pid.id());
        out.rawInt(pid.serial());
        out.rawInt(pid.creation());
    }

    private static void writeRef(Ref ref, EtfBuffer out) {
        int n = ref.wordCount();
        out.ensure(3);
        out.rawByte(NEWER_REFERENCE_EXT);
        out.rawShort(n);
        writeAtom(ref.node(), out);
        out.ensure(4 + 4 * n);
        out.rawInt(ref.creation());
        for (int i = 0; i < n; i++) {
            out.rawInt(ref.word(i));
        }
    }

    private void writeFun(LocalFun fun, EtfBuffer out) {
        byte[] raw = access.localFunEncoding(fun);
        if (raw != null) {
            out.put(raw);
            return;
        }
        out.ensure(30);
        out.rawByte(NEW_FUN_EXT);
        int sizeAt = out.size();
        out.rawInt(0);
        out.rawByte(fun.arity());
        out.put(fun.uniq());
        out.putInt(fun.index());
        out.putInt(fun.freeVars().size());
        writeAtom(fun.module(), out);
        writeLong(fun.oldIndex(), out);
        writeLong(fun.oldUniq(), out);
        writePid(fun.pid(), out);
        push(new FunEnd(sizeAt));
        List<Object> free = fun.freeVars();
        for (int i = free.size() - 1; i >= 0; i--) {
            push(free.get(i));
        }
    }
}
