package io.ergon.etf.internal;

/** Strict UTF-8 checks for atom text, as OTP applies them: no overlong forms, surrogates or values past U+10FFFF. */
public final class Utf8 {
    private Utf8() {
    }

    /** The number of code points in the bytes, or -1 if they are not well-formed UTF-8. */
    public static int countCodePoints(byte[] b, int off, int len) {
        int count = 0;
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
            } else if (c >= 0xc2 && c <= 0xdf) {
                if (i + 1 >= end || !cont(b[i + 1])) {
                    return -1;
                }
                i += 2;
            } else if (c >= 0xe0 && c <= 0xef) {
                if (i + 2 >= end || !cont(b[i + 1]) || !cont(b[i + 2])) {
                    return -1;
                }
                int c1 = b[i + 1] & 0xff;
                if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0)) {
                    return -1; // overlong, or a surrogate
                }
                i += 3;
            } else if (c >= 0xf0 && c <= 0xf4) {
                if (i + 3 >= end || !cont(b[i + 1]) || !cont(b[i + 2]) || !cont(b[i + 3])) {
                    return -1;
                }
                int c1 = b[i + 1] & 0xff;
                if ((c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 >= 0x90)) {
                    return -1; // overlong, or past U+10FFFF
                }
                i += 4;
            } else {
                return -1;
            }
            count++;
        }
        return count;
    }

    private static boolean cont(byte b) {
        return (b & 0xc0) == 0x80;
    }
}
