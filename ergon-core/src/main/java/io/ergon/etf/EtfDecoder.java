package io.ergon.etf;

import static io.ergon.etf.EtfTags.*;

import io.ergon.etf.internal.AtomTable;
import io.ergon.etf.internal.Utf8;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.ExportFun;
import io.ergon.term.ImproperList;
import io.ergon.term.LocalFun;
import io.ergon.term.Pid;
import io.ergon.term.Port;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import io.ergon.term.internal.TermInternals;
import io.ergon.term.internal.TermList;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the External Term Format: every tag OTP 25..27 sends, the legacy ones ({@code ATOM_EXT}, {@code FLOAT_EXT},
 * old pids, ports and references), compressed terms (tag 80), and {@code ATOM_CACHE_REF}s resolved through a table
 * the caller supplies.
 *
 * <p>What it produces: integers as {@code Long} (or {@code BigInteger} beyond a long), floats as {@code Double},
 * {@link Atom}s, {@link Binary}/{@link io.ergon.term.BitString}, {@link Tuple}s (or records, when a
 * {@link RecordRegistry} is given and knows the tag and arity), immutable {@code List}s (a {@code STRING_EXT} as a
 * {@link io.ergon.term.ByteList}), {@link ImproperList}s, immutable maps in the order they were encoded, {@link Pid},
 * {@link Port}, {@link Ref}, {@link ExportFun} and {@link LocalFun}.
 *
 * <p>Bad input of any kind ends in an {@link EtfException} that names the problem and its byte offset; the decoder
 * never recurses (nesting is bounded by {@link DecodeLimits#maxDepth()}), never allocates more than the input could
 * fill, and checks every length against the bytes that remain. An instance keeps scratch state between calls: use one
 * per thread (they are cheap).
 *
 * <p>One class of some 800 lines for one idea: a decoder of one format, a case per tag over one buffer and one
 * explicit stack, which split apart would only pass that state around.
 */
public final class EtfDecoder {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final Long[] SMALL = new Long[256];
    private static final List<Object> NIL = List.of();
    private static final Object[] NO_OBJECTS = new Object[0];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = (long) i;
        }
    }

    /** Maps above this size are HAMTs in OTP, written in the reverse of their iteration order. */
    static final int LARGE_MAP = 32;

    private static final int TUPLE = 1;
    private static final int LIST = 2;
    private static final int MAP = 3;
    private static final int FUN = 4;

    /** The result of decoding one term from a slice: the term and the offset just past it. */
    public record Decoded(Object term, int end) {
    }

    private final DecodeLimits limits;
    private final RecordRegistry registry;
    private final TermInternals.Access access = TermInternals.access();

    // Per-call state.
    private byte[] b;
    private int pos;
    private int end;
    private Atom[] atomCache;
    private int cacheRefs;

    // The stack of open containers: kind, items, next index, start offset, extra (list tail slot / fun header).
    private int depth;
    private int[] kinds = new int[16];
    private Object[][] items = new Object[16][];
    private int[] next = new int[16];
    private int[] starts = new int[16];
    private Object[] extras = new Object[16];
    private int[] heights = new int[16];
    /** How deeply the value just produced nests (0 for a scalar), to bound map keys. */
    private int valueHeight;

    /** A decoder with the default limits that leaves tagged tuples as tuples. */
    public EtfDecoder() {
        this(DecodeLimits.DEFAULT, null);
    }

    /**
     * @param limits what to accept
     * @param registry records to decode tagged tuples into, or null to leave all tuples as {@link Tuple}s
     */
    public EtfDecoder(DecodeLimits limits, RecordRegistry registry) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
        this.registry = registry;
    }

    /** The limits this decoder applies. */
    public DecodeLimits limits() {
        return limits;
    }

    /**
     * Decodes a whole array: the version byte 131, one term (possibly compressed) and nothing after it.
     *
     * @throws EtfException if the bytes are not exactly one valid encoding
     */
    public Object decode(byte[] bytes) throws EtfException {
        Decoded d = decode(bytes, 0, bytes.length, true, null);
        if (d.end != bytes.length) {
            throw new EtfException((bytes.length - d.end) + " bytes follow the term", d.end);
        }
        return d.term;
    }

    /**
     * Decodes one term from {@code bytes[offset, offset + length)} and says where it ended; bytes after it are left
     * alone (a control message and its payload follow each other in one frame).
     *
     * @param versionByte whether the term starts with the version byte 131 (after a distribution header it does not)
     * @param atomCache the atoms {@code ATOM_CACHE_REF} indexes refer to (from the frame's distribution header), or
     *     null if the term cannot contain any
     * @throws EtfException if the slice does not start with a valid encoding within the limits
     */
    public Decoded decode(byte[] bytes, int offset, int length, boolean versionByte, Atom[] atomCache)
            throws EtfException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length > limits.maxBytes()) {
            throw new EtfException("encoding of " + length + " bytes is larger than the limit of "
                    + limits.maxBytes(), offset);
        }
        this.b = bytes;
        this.pos = offset;
        this.end = offset + length;
        this.atomCache = atomCache;
        this.depth = 0;
        try {
            if (versionByte) {
                need(1, "the version byte");
                int v = b[pos] & 0xff;
                if (v != VERSION) {
                    throw error("expected the version byte 131, found " + v, pos);
                }
                pos++;
            }
            need(1, "a term");
            if ((b[pos] & 0xff) == COMPRESSED) {
                return decompressAndDecode();
            }
            Object term = run();
            return new Decoded(term, pos);
        } finally {
            clearFrames();
            this.b = null;
            this.atomCache = null;
        }
    }

    private Decoded decompressAndDecode() throws EtfException {
        int tagAt = pos;
        pos++;
        need(4, "the uncompressed size of a compressed term");
        long size = Integer.toUnsignedLong(readInt());
        if (size > limits.maxDecompressedBytes() || size > limits.maxBytes()) {
            throw error("compressed term declares " + size + " uncompressed bytes, more than the limit of "
                    + Math.min(limits.maxDecompressedBytes(), limits.maxBytes()), tagAt + 1);
        }
        byte[] out = new byte[(int) size];
        Inflater inflater = new Inflater();
        int consumed;
        try {
            inflater.setInput(b, pos, end - pos);
            int n = 0;
            int stalls = 0;
            while (n < out.length) {
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary()
                        || ++stalls > 8)) {
                    break;
                }
                n += got;
            }
            if (n < out.length) {
                throw error("compressed data is truncated or smaller than its declared size " + size, pos);
            }
            if (!inflater.finished()) {
                // Either more output than declared, or the stream's end is still ahead: both are wrong.
                byte[] probe = new byte[1];
                int extra = inflater.inflate(probe);
                throw error(extra > 0 ? "compressed data is larger than its declared size " + size
                        : "compressed data does not end where its declared size " + size + " ends", pos);
            }
            consumed = (end - pos) - inflater.getRemaining();
        } catch (DataFormatException e) {
            throw error("compressed data is not valid zlib: " + e.getMessage(), pos);
        } finally {
            inflater.end();
        }
        int after = pos + consumed;
        byte[] outer = b;
        int outerEnd = end;
        this.b = out;
        this.pos = 0;
        this.end = out.length;
        Object term;
        try {
            term = run();
            if (pos != out.length) {
                throw error((out.length - pos) + " bytes follow the term inside the compressed data", pos);
            }
        } catch (EtfException e) {
            throw new EtfException("inside the compressed term at " + tagAt + ": " + e.reason()
                    + " (offset " + e.offset() + " of the uncompressed bytes)", tagAt);
        } finally {
            this.b = outer;
            this.end = outerEnd;
        }
        return new Decoded(term, after);
    }

    /** Decodes one term at {@code pos}, keeping open containers on an explicit stack. */
    private Object run() throws EtfException {
        while (true) {
            Object value = readTerm();
            if (value == null) {
                continue; // a container was opened; read its first child
            }
            valueHeight = scalarHeight(value);
            while (true) {
                if (depth == 0) {
                    return value;
                }
                int d = depth - 1;
                int i = next[d]++;
                if (valueHeight > heights[d]) {
                    heights[d] = valueHeight;
                }
                if (kinds[d] == MAP && (i & 1) == 0 && valueHeight > limits.maxMapKeyDepth()) {
                    throw error("map key nested " + valueHeight + " deep, more than the limit of "
                            + limits.maxMapKeyDepth(), starts[d]);
                }
                Object[] slots = items[d];
                if (i < slots.length) {
                    slots[i] = value;
                } else {
                    extras[d] = value; // a list's tail
                }
                if (next[d] < slots.length || (kinds[d] == LIST && next[d] == slots.length)) {
                    break;
                }
                value = finish(d);
                valueHeight = heights[d] + 1;
                depth = d;
                items[d] = null;
                extras[d] = null;
            }
        }
    }

    /** Values read whole by readTerm nest one level when they are non-empty containers (an empty tuple, list...). */
    private static int scalarHeight(Object value) {
        return value instanceof List<?> l && !l.isEmpty() ? 1 : 0;
    }

    private Object finish(int d) throws EtfException {
        Object[] slots = items[d];
        switch (kinds[d]) {
            case TUPLE -> {
                if (registry != null && slots[0] instanceof Atom) {
                    Object record = registry.fromTuple(slots);
                    if (record != null) {
                        return record;
                    }
                }
                return access.wrapTuple(slots);
            }
            case LIST -> {
                Object tail = extras[d];
                if (slots.length == 0) {
                    return tail;
                }
                List<Object> elements = new TermList(slots);
                if (tail == NIL) {
                    return elements;
                }
                if (tail instanceof List<?> || tail instanceof ImproperList) {
                    return ImproperList.of(elements, tail);
                }
                return new ImproperList(elements, tail);
            }
            case MAP -> {
                LinkedHashMap<Object, Object> map = new LinkedHashMap<>((int) (slots.length / 2 / 0.75f) + 1);
                // OTP writes a map of more than 32 keys in the reverse of its iteration order: keep Erlang's order.
                boolean reversed = slots.length > 2 * LARGE_MAP;
                for (int j = 0; j < slots.length; j += 2) {
                    int i = reversed ? slots.length - 2 - j : j;
                    // OTP 25 holds 0.0 and -0.0 for the same key, which Double.equals does not.
                    if (map.put(slots[i], slots[i + 1]) != null || (slots[i] instanceof Double z && z == 0.0
                            && map.containsKey(-z))) {
                        throw error("map has the key " + io.ergon.term.TermFormat.format(slots[i]) + " twice",
                                starts[d]);
                    }
                }
                return Collections.unmodifiableMap(map);
            }
            default -> {
                return ((FunHeader) extras[d]).build(slots, this);
            }
        }
    }

    /** Reads one term: returns it, or opens a container (pushing a frame) and returns null. */
    private Object readTerm() throws EtfException {
        if (pos >= end) {
            throw truncated("a term");
        }
        int at = pos;
        int tag = b[pos++] & 0xff;
        switch (tag) {
            case SMALL_INTEGER_EXT -> {
                need(1, "SMALL_INTEGER_EXT");
                return SMALL[b[pos++] & 0xff];
            }
            case INTEGER_EXT -> {
                need(4, "INTEGER_EXT");
                return (long) readInt();
            }
            case SMALL_ATOM_UTF8_EXT, ATOM_UTF8_EXT, ATOM_EXT, SMALL_ATOM_EXT, ATOM_CACHE_REF -> {
                pos = at;
                return readAtom("an atom");
            }
            case SMALL_TUPLE_EXT -> {
                need(1, "SMALL_TUPLE_EXT arity");
                int n = b[pos++] & 0xff;
                return open(TUPLE, n, at, "tuple", limits.maxTupleArity());
            }
            case LARGE_TUPLE_EXT -> {
                need(4, "LARGE_TUPLE_EXT arity");
                long n = Integer.toUnsignedLong(readInt());
                return open(TUPLE, n, at, "tuple", limits.maxTupleArity());
            }
            case NIL_EXT -> {
                return NIL;
            }
            case LIST_EXT -> {
                need(4, "LIST_EXT length");
                long n = Integer.toUnsignedLong(readInt());
                if (n == 0) {
                    // A list of no elements before its tail: the tail alone. OTP never writes this.
                    return open(LIST, 0, at, "list", limits.maxListLength());
                }
                return open(LIST, n, at, "list", limits.maxListLength());
            }
            case STRING_EXT -> {
                need(2, "STRING_EXT length");
                int n = readShort();
                checkLength(n, limits.maxBinaryBytes(), at, "string");
                if (n == 0) {
                    return NIL;
                }
                byte[] bytes = Arrays.copyOfRange(b, pos, pos + n);
                pos += n;
                return access.wrapByteList(bytes);
            }
            case BINARY_EXT -> {
                need(4, "BINARY_EXT length");
                long n = Integer.toUnsignedLong(readInt());
                checkLength(n, limits.maxBinaryBytes(), at, "binary");
                byte[] bytes = Arrays.copyOfRange(b, pos, pos + (int) n);
                pos += (int) n;
                return access.wrapBinary(bytes);
            }
            case BIT_BINARY_EXT -> {
                return readBits(at);
            }
            case NEW_FLOAT_EXT -> {
                need(8, "NEW_FLOAT_EXT");
                double d = Double.longBitsToDouble((long) LONG.get(b, pos));
                if (!Double.isFinite(d)) {
                    throw error("NEW_FLOAT_EXT is not a finite float (Erlang has no NaN or infinity)", at);
                }
                pos += 8;
                return d;
            }
            case FLOAT_EXT -> {
                return readOldFloat(at);
            }
            case SMALL_BIG_EXT -> {
                need(2, "SMALL_BIG_EXT header");
                int n = b[pos++] & 0xff;
                return readBig(n, at);
            }
            case LARGE_BIG_EXT -> {
                need(5, "LARGE_BIG_EXT header");
                long n = Integer.toUnsignedLong(readInt());
                if (n > limits.maxBigIntegerBytes()) {
                    throw error("big integer of " + n + " bytes is larger than the limit of "
                            + limits.maxBigIntegerBytes(), at);
                }
                return readBig((int) n, at);
            }
            case MAP_EXT -> {
                need(4, "MAP_EXT arity");
                long n = Integer.toUnsignedLong(readInt());
                if (n > limits.maxMapSize()) {
                    throw error("map of " + n + " pairs is larger than the limit of " + limits.maxMapSize(), at);
                }
                if (n == 0) {
                    return Collections.emptyMap();
                }
                return open(MAP, 2 * n, at, "map", Integer.MAX_VALUE);
            }
            case NEW_PID_EXT, PID_EXT -> {
                pos = at;
                return readPid();
            }
            case NEW_PORT_EXT, V4_PORT_EXT, PORT_EXT -> {
                Atom node = readAtom("the port's node");
                long id;
                int creation;
                if (tag == V4_PORT_EXT) {
                    need(12, "V4_PORT_EXT");
                    id = (long) LONG.get(b, pos);
                    pos += 8;
                    creation = readInt();
                } else if (tag == NEW_PORT_EXT) {
                    need(8, "NEW_PORT_EXT");
                    id = Integer.toUnsignedLong(readInt());
                    creation = readInt();
                } else {
                    need(5, "PORT_EXT");
                    id = Integer.toUnsignedLong(readInt());
                    creation = b[pos++] & 0xff;
                }
                return new Port(node, id, creation);
            }
            case NEWER_REFERENCE_EXT, NEW_REFERENCE_EXT -> {
                needFor(2, tag, " length");
                int n = readShort();
                if (n < 1 || n > Ref.MAX_WORDS) {
                    throw error("reference with " + n + " words (1.." + Ref.MAX_WORDS + " allowed)", at + 1);
                }
                Atom node = readAtom("the reference's node");
                int creation;
                if (tag == NEWER_REFERENCE_EXT) {
                    need(4 + 4 * n, "NEWER_REFERENCE_EXT");
                    creation = readInt();
                } else {
                    need(1 + 4 * n, "NEW_REFERENCE_EXT");
                    creation = b[pos++] & 0xff;
                }
                int[] words = new int[n];
                for (int i = 0; i < n; i++) {
                    words[i] = readInt();
                }
                return new Ref(node, creation, words);
            }
            case REFERENCE_EXT -> {
                Atom node = readAtom("the reference's node");
                need(5, "REFERENCE_EXT");
                int id = readInt();
                int creation = b[pos++] & 0xff;
                return new Ref(node, creation, id);
            }
            case EXPORT_EXT -> {
                Atom module = readAtom("the export fun's module");
                Atom function = readAtom("the export fun's function");
                need(2, "the export fun's arity");
                if ((b[pos] & 0xff) != SMALL_INTEGER_EXT) {
                    throw error("export fun arity must be a SMALL_INTEGER_EXT, found "
                            + EtfTags.name(b[pos] & 0xff), pos);
                }
                int arity = b[pos + 1] & 0xff;
                pos += 2;
                return new ExportFun(module, function, arity);
            }
            case NEW_FUN_EXT -> {
                return openFun(at);
            }
            case COMPRESSED -> throw error("a compressed term (tag 80) may only stand at the top level", at);
            case FUN_EXT -> throw error("FUN_EXT (117) is obsolete and no longer decoded by OTP", at);
            case LOCAL_EXT -> throw error("LOCAL_EXT (121) is private to the node that made it", at);
            default -> throw error("unknown tag " + tag, at);
        }
    }

    /** Pushes a container of {@code n} children; a container of none is finished at once. */
    private Object open(int kind, long n, int at, String what, int limit) throws EtfException {
        if (n > limit) {
            throw error(what + " of " + n + " elements is larger than the limit of " + limit, at);
        }
        long minBytes = kind == LIST ? n + 1 : n;
        if (minBytes > end - pos) {
            throw error(what + " of " + n + " elements cannot fit in the " + (end - pos) + " bytes left", at);
        }
        if (n == 0 && kind == TUPLE) {
            return access.wrapTuple(NO_OBJECTS);
        }
        push(kind, n == 0 ? NO_OBJECTS : new Object[(int) n], at, null);
        return null;
    }

    private void push(int kind, Object[] slots, int at, Object extra) throws EtfException {
        if (depth >= limits.maxDepth()) {
            throw error("terms nest deeper than the limit of " + limits.maxDepth(), at);
        }
        if (depth == kinds.length) {
            int n = depth * 2;
            kinds = Arrays.copyOf(kinds, n);
            items = Arrays.copyOf(items, n);
            next = Arrays.copyOf(next, n);
            starts = Arrays.copyOf(starts, n);
            extras = Arrays.copyOf(extras, n);
            heights = Arrays.copyOf(heights, n);
        }
        heights[depth] = 0;
        kinds[depth] = kind;
        items[depth] = slots;
        next[depth] = 0;
        starts[depth] = at;
        extras[depth] = extra;
        depth++;
    }

    private void clearFrames() {
        for (int i = 0; i < depth; i++) {
            items[i] = null;
            extras[i] = null;
        }
        depth = 0;
    }

    private Object readBits(int at) throws EtfException {
        need(5, "BIT_BINARY_EXT header");
        long n = Integer.toUnsignedLong(readInt());
        int bits = b[pos++] & 0xff;
        checkLength(n, limits.maxBinaryBytes(), at, "bitstring");
        if (n == 0) {
            if (bits != 0) {
                throw error("empty bitstring with " + bits + " bits in its last byte", at + 5);
            }
            return Binary.EMPTY;
        }
        if (bits < 1 || bits > 8) {
            throw error("bitstring with " + bits + " bits in its last byte (1..8 allowed)", at + 5);
        }
        byte[] bytes = Arrays.copyOfRange(b, pos, pos + (int) n);
        pos += (int) n;
        return bits == 8 ? access.wrapBinary(bytes) : access.wrapBitString(bytes, bits);
    }

    private Object readOldFloat(int at) throws EtfException {
        need(31, "FLOAT_EXT");
        int len = 0;
        while (len < 31 && b[pos + len] != 0) {
            len++;
        }
        String text = new String(b, pos, len, StandardCharsets.ISO_8859_1).trim();
        pos += 31;
        if (!text.matches("[-+]?[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?")) {
            throw error("FLOAT_EXT text is not a float: \"" + text + "\"", at + 1);
        }
        double d = Double.parseDouble(text);
        if (!Double.isFinite(d)) {
            throw error("FLOAT_EXT is out of range: " + text, at + 1);
        }
        return d;
    }

    private Object readBig(int n, int at) throws EtfException {
        if (n > limits.maxBigIntegerBytes()) {
            throw error("big integer of " + n + " bytes is larger than the limit of " + limits.maxBigIntegerBytes(),
                    at);
        }
        if (n > end - pos - 1 || (pos >= end)) {
            throw error("big integer of " + n + " bytes cannot fit in the " + Math.max(0, end - pos - 1)
                    + " bytes left", at);
        }
        int sign = b[pos++] & 0xff;
        if (sign > 1) {
            throw error("big integer sign byte must be 0 or 1, not " + sign, pos - 1);
        }
        int start = pos;
        pos += n;
        int top = n;
        while (top > 0 && b[start + top - 1] == 0) {
            top--;
        }
        if (top <= 8) {
            long mag = 0;
            for (int i = top - 1; i >= 0; i--) {
                mag = (mag << 8) | (b[start + i] & 0xff);
            }
            if (mag >= 0) {
                return sign == 0 ? mag : -mag;
            }
            if (sign == 1 && mag == Long.MIN_VALUE) {
                return Long.MIN_VALUE;
            }
        }
        byte[] be = new byte[top + 1];
        for (int i = 0; i < top; i++) {
            be[top - i] = b[start + i];
        }
        BigInteger v = new BigInteger(be);
        return sign == 0 ? v : v.negate();
    }

    private Pid readPid() throws EtfException {
        int at = pos;
        int tag = b[pos++] & 0xff;
        if (tag != NEW_PID_EXT && tag != PID_EXT) {
            throw error("expected a pid, found " + EtfTags.name(tag), at);
        }
        Atom node = readAtom("the pid's node");
        if (tag == NEW_PID_EXT) {
            need(12, "NEW_PID_EXT");
            return new Pid(node, readInt(), readInt(), readInt());
        }
        need(9, "PID_EXT");
        int id = readInt();
        int serial = readInt();
        return new Pid(node, id, serial, b[pos++] & 0xff);
    }

    /** Reads an atom-valued term (any atom tag or a cache reference) at {@code pos}. */
    private Atom readAtom(String what) throws EtfException {
        if (pos >= end) {
            throw truncated(what);
        }
        int at = pos;
        int tag = b[pos++] & 0xff;
        int len;
        switch (tag) {
            case SMALL_ATOM_UTF8_EXT, SMALL_ATOM_EXT -> {
                needFor(1, tag, " length");
                len = b[pos++] & 0xff;
            }
            case ATOM_UTF8_EXT, ATOM_EXT -> {
                needFor(2, tag, " length");
                len = readShort();
            }
            case ATOM_CACHE_REF -> {
                need(1, "ATOM_CACHE_REF index");
                int i = b[pos++] & 0xff;
                if (atomCache == null) {
                    throw error("ATOM_CACHE_REF " + i + " outside a distribution header's atom cache", at);
                }
                if (i >= atomCache.length || atomCache[i] == null) {
                    throw error("ATOM_CACHE_REF " + i + " is not in the atom cache (" + atomCache.length
                            + " entries)", at);
                }
                cacheRefs++;
                return atomCache[i];
            }
            default -> throw error("expected " + what + " (an atom), found " + EtfTags.name(tag), at);
        }
        needFor(len, tag, " text");
        Atom atom;
        try {
            atom = newOrKnownAtom(tag, len, at);
        } catch (IllegalStateException full) {
            throw error(full.getMessage(), at);
        }
        pos += len;
        return atom;
    }

    private Atom newOrKnownAtom(int tag, int len, int at) throws EtfException {
        Atom atom;
        if (tag == SMALL_ATOM_UTF8_EXT || tag == ATOM_UTF8_EXT) {
            atom = AtomTable.lookup(b, pos, len, limits.maxAtomCharacters());
            if (atom == null) {
                int chars = Utf8.countCodePoints(b, pos, len);
                throw error(chars < 0 ? "atom text is not valid UTF-8"
                        : "atom of " + chars + " characters is longer than the limit of "
                                + limits.maxAtomCharacters(), at);
            }
        } else {
            if (len > limits.maxAtomCharacters()) {
                throw error("atom of " + len + " characters is longer than the limit of "
                        + limits.maxAtomCharacters(), at);
            }
            atom = Atom.of(new String(b, pos, len, StandardCharsets.ISO_8859_1));
        }
        return atom;
    }

    /** The fixed part of a NEW_FUN_EXT, kept while its free variables are decoded. */
    private record FunHeader(int start, int sizeAt, long size, int arity, byte[] uniq, int index, Atom module,
            long oldIndex, long oldUniq, Pid pid, int cacheRefsBefore) {
        LocalFun build(Object[] freeVars, EtfDecoder d) throws EtfException {
            long actual = d.pos - sizeAt;
            if (actual != size) {
                throw d.error("NEW_FUN_EXT says it is " + size + " bytes long but its parts take " + actual, sizeAt);
            }
            byte[] raw = d.cacheRefs == cacheRefsBefore ? Arrays.copyOfRange(d.b, start, d.pos) : null;
            return new LocalFun(arity, uniq, index, module, oldIndex, oldUniq, pid, new TermList(freeVars), raw);
        }
    }

    private Object openFun(int at) throws EtfException {
        int sizeAt = pos;
        need(4 + 1 + 16 + 4 + 4, "NEW_FUN_EXT header");
        long size = Integer.toUnsignedLong(readInt());
        int arity = b[pos++] & 0xff;
        byte[] uniq = Arrays.copyOfRange(b, pos, pos + 16);
        pos += 16;
        int index = readInt();
        long numFree = Integer.toUnsignedLong(readInt());
        int refsBefore = cacheRefs;
        Atom module = readAtom("the fun's module");
        long oldIndex = readSmallInteger("the fun's old index");
        long oldUniq = readSmallInteger("the fun's old uniq");
        Pid pid = readPid();
        if (numFree > end - pos) {
            throw error("fun with " + numFree + " free variables cannot fit in the " + (end - pos) + " bytes left",
                    at);
        }
        FunHeader header = new FunHeader(at, sizeAt, size, arity, uniq, index, module, oldIndex, oldUniq, pid,
                refsBefore);
        if (numFree == 0) {
            return header.build(NO_OBJECTS, this);
        }
        push(FUN, new Object[(int) numFree], at, header);
        return null;
    }

    private long readSmallInteger(String what) throws EtfException {
        need(1, what);
        int at = pos;
        int tag = b[pos++] & 0xff;
        if (tag == SMALL_INTEGER_EXT) {
            need(1, what);
            return b[pos++] & 0xff;
        }
        if (tag == INTEGER_EXT) {
            need(4, what);
            return readInt();
        }
        if (tag == SMALL_BIG_EXT) {
            need(2, what);
            int n = b[pos++] & 0xff;
            if (n > 8) {
                throw error(what + " does not fit in 64 bits", at);
            }
            Object v = readBig(n, at);
            if (v instanceof Long l) {
                return l;
            }
            throw error(what + " does not fit in 64 bits", at);
        }
        throw error("expected an integer for " + what + ", found " + EtfTags.name(tag), at);
    }

    private void checkLength(long n, int limit, int at, String what) throws EtfException {
        if (n > limit) {
            throw error(what + " of " + n + " bytes is larger than the limit of " + limit, at);
        }
        if (n > end - pos) {
            throw error(what + " of " + n + " bytes cannot fit in the " + (end - pos) + " bytes left", at);
        }
    }

    private int readInt() {
        int v = (int) INT.get(b, pos);
        pos += 4;
        return v;
    }

    private int readShort() {
        int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    private void need(int n, String what) throws EtfException {
        if (end - pos < n) {
            throw truncated(what);
        }
    }

    /** Like {@link #need}, naming the tag's part only when the bytes are missing. */
    private void needFor(int n, int tag, String part) throws EtfException {
        if (end - pos < n) {
            throw truncated(EtfTags.name(tag) + part);
        }
    }

    private EtfException truncated(String what) {
        return new EtfException("input ends in the middle of " + what + " (" + (end - pos) + " bytes left)", pos);
    }

    private EtfException error(String reason, int at) {
        return new EtfException(reason, at);
    }
}
