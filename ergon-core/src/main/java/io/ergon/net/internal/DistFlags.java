package io.ergon.net.internal;

import java.util.ArrayList;
import java.util.List;

/** Distribution capability flags ({@code dist.h}), the set Ergon offers and the set it requires of peers. */
public final class DistFlags {
    public static final long PUBLISHED = 0x1L;
    public static final long ATOM_CACHE = 0x2L;
    public static final long EXTENDED_REFERENCES = 0x4L;
    public static final long DIST_MONITOR = 0x8L;
    public static final long FUN_TAGS = 0x10L;
    public static final long DIST_MONITOR_NAME = 0x20L;
    public static final long HIDDEN_ATOM_CACHE = 0x40L;
    public static final long NEW_FUN_TAGS = 0x80L;
    public static final long EXTENDED_PIDS_PORTS = 0x100L;
    public static final long EXPORT_PTR_TAG = 0x200L;
    public static final long BIT_BINARIES = 0x400L;
    public static final long NEW_FLOATS = 0x800L;
    public static final long UNICODE_IO = 0x1000L;
    public static final long DIST_HDR_ATOM_CACHE = 0x2000L;
    public static final long SMALL_ATOM_TAGS = 0x4000L;
    public static final long UTF8_ATOMS = 0x10000L;
    public static final long MAP_TAG = 0x20000L;
    public static final long BIG_CREATION = 0x40000L;
    public static final long SEND_SENDER = 0x80000L;
    public static final long BIG_SEQTRACE_LABELS = 0x100000L;
    public static final long EXIT_PAYLOAD = 0x400000L;
    public static final long FRAGMENTS = 0x800000L;
    public static final long HANDSHAKE_23 = 0x1000000L;
    public static final long UNLINK_ID = 0x2000000L;
    public static final long MANDATORY_25_DIGEST = 0x4000000L;
    public static final long SPAWN = 1L << 32;
    public static final long NAME_ME = 1L << 33;
    public static final long V4_NC = 1L << 34;
    public static final long ALIAS = 1L << 35;

    /** What OTP 25 requires of every peer. */
    public static final long MANDATORY_25 = EXTENDED_REFERENCES | FUN_TAGS | NEW_FUN_TAGS | EXTENDED_PIDS_PORTS
            | EXPORT_PTR_TAG | BIT_BINARIES | NEW_FLOATS | UTF8_ATOMS | MAP_TAG | BIG_CREATION | HANDSHAKE_23;
    /** What OTP 26 and 27 require of every peer, and what Ergon requires too. */
    public static final long MANDATORY = MANDATORY_25 | UNLINK_ID | V4_NC;

    /** What Ergon offers (plus {@link #PUBLISHED} for a visible node). */
    public static final long OFFERED = MANDATORY | MANDATORY_25_DIGEST | DIST_MONITOR | DIST_MONITOR_NAME
            | UNICODE_IO | SMALL_ATOM_TAGS | SEND_SENDER | BIG_SEQTRACE_LABELS | EXIT_PAYLOAD | FRAGMENTS | SPAWN
            | ALIAS;

    private DistFlags() {
    }

    /** A peer's flags as it meant them: MANDATORY_25_DIGEST stands for the whole OTP 25 mandatory set. */
    public static long normalise(long flags) {
        return (flags & MANDATORY_25_DIGEST) != 0 ? flags | MANDATORY_25 : flags;
    }

    /** The names of the required flags that {@code flags} lacks, for the refusal message. */
    public static List<String> missing(long flags) {
        List<String> out = new ArrayList<>();
        long lacking = MANDATORY & ~normalise(flags);
        for (var f : DistFlags.class.getFields()) {
            if (f.getType() == long.class && !f.getName().startsWith("MANDATORY") && !f.getName().equals("OFFERED")) {
                try {
                    long v = f.getLong(null);
                    if (Long.bitCount(v) == 1 && (lacking & v) != 0) {
                        out.add(f.getName());
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }
}
