package io.ergon.etf.internal;

import io.ergon.term.Atom;
import io.ergon.term.internal.TermInternals;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A direct-mapped cache from UTF-8 bytes to atoms, so that decoding a known atom costs a hash and a byte compare,
 * with no String made. Slots are replaced freely; entries are immutable, so unsynchronised reads are safe.
 */
public final class AtomTable {
    private static final int SIZE = 8192;
    private static final Entry[] TABLE = new Entry[SIZE];

    private record Entry(byte[] utf8, Atom atom) {
    }

    private AtomTable() {
    }

    /**
     * The atom whose UTF-8 name is these bytes, or null if the bytes are not well-formed UTF-8 or name more than
     * {@code maxChars} characters.
     */
    public static Atom lookup(byte[] b, int off, int len, int maxChars) {
        int h = 0x811c9dc5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        int slot = (h ^ (h >>> 15)) & (SIZE - 1);
        Entry e = TABLE[slot];
        if (e != null && e.utf8.length == len && Arrays.equals(e.utf8, 0, len, b, off, off + len)) {
            Atom a = e.atom;
            if (len <= maxChars || a.name().codePointCount(0, a.name().length()) <= maxChars) {
                return a;
            }
            return null;
        }
        int chars = Utf8.countCodePoints(b, off, len);
        if (chars < 0 || chars > maxChars) {
            return null;
        }
        Atom atom = Atom.of(new String(b, off, len, StandardCharsets.UTF_8));
        TABLE[slot] = new Entry(TermInternals.access().atomUtf8(atom), atom);
        return atom;
    }
}
