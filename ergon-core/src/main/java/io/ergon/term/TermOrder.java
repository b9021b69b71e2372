package io.ergon.term;

/**
 * Erlang's term order. For now it compares atom names; the full comparator over all term types comes with the
 * term model.
 */
public final class TermOrder {
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
}
