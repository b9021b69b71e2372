package io.ergon.etf;

/**
 * The External Term Format's byte values: the version byte, the distribution header tags and every term tag,
 * named as in OTP's {@code erl_ext_dist} documentation.
 */
public final class EtfTags {
    /** The version byte a standalone term starts with. */
    public static final int VERSION = 131;
    /** A distribution header ({@code 131, 68, ...}). */
    public static final int DIST_HEADER = 68;
    /** The first fragment of a fragmented message. */
    public static final int DIST_FRAG_HEADER = 69;
    /** A later fragment. */
    public static final int DIST_FRAG_CONT = 70;
    /** A pass-through frame's first byte. */
    public static final int PASS_THROUGH = 112;

    public static final int COMPRESSED = 80;
    public static final int NEW_FLOAT_EXT = 70;
    public static final int BIT_BINARY_EXT = 77;
    public static final int ATOM_CACHE_REF = 82;
    public static final int NEW_PID_EXT = 88;
    public static final int NEW_PORT_EXT = 89;
    public static final int NEWER_REFERENCE_EXT = 90;
    public static final int SMALL_INTEGER_EXT = 97;
    public static final int INTEGER_EXT = 98;
    public static final int FLOAT_EXT = 99;
    public static final int ATOM_EXT = 100;
    public static final int REFERENCE_EXT = 101;
    public static final int PORT_EXT = 102;
    public static final int PID_EXT = 103;
    public static final int SMALL_TUPLE_EXT = 104;
    public static final int LARGE_TUPLE_EXT = 105;
    public static final int NIL_EXT = 106;
    public static final int STRING_EXT = 107;
    public static final int LIST_EXT = 108;
    public static final int BINARY_EXT = 109;
    public static final int SMALL_BIG_EXT = 110;
    public static final int LARGE_BIG_EXT = 111;
    public static final int NEW_FUN_EXT = 112;
    public static final int EXPORT_EXT = 113;
    public static final int NEW_REFERENCE_EXT = 114;
    public static final int SMALL_ATOM_EXT = 115;
    public static final int MAP_EXT = 116;
    public static final int FUN_EXT = 117;
    public static final int ATOM_UTF8_EXT = 118;
    public static final int SMALL_ATOM_UTF8_EXT = 119;
    public static final int V4_PORT_EXT = 120;
    public static final int LOCAL_EXT = 121;

    private EtfTags() {
    }

    /** The tag's name, e.g. {@code SMALL_TUPLE_EXT (104)}, for error messages. */
    public static String name(int tag) {
        String name = switch (tag) {
            case COMPRESSED -> "COMPRESSED";
            case NEW_FLOAT_EXT -> "NEW_FLOAT_EXT";
            case BIT_BINARY_EXT -> "BIT_BINARY_EXT";
            case ATOM_CACHE_REF -> "ATOM_CACHE_REF";
            case NEW_PID_EXT -> "NEW_PID_EXT";
            case NEW_PORT_EXT -> "NEW_PORT_EXT";
            case NEWER_REFERENCE_EXT -> "NEWER_REFERENCE_EXT";
            case SMALL_INTEGER_EXT -> "SMALL_INTEGER_EXT";
            case INTEGER_EXT -> "INTEGER_EXT";
            case FLOAT_EXT -> "FLOAT_EXT";
            case ATOM_EXT -> "ATOM_EXT";
            case REFERENCE_EXT -> "REFERENCE_EXT";
            case PORT_EXT -> "PORT_EXT";
            case PID_EXT -> "PID_EXT";
            case SMALL_TUPLE_EXT -> "SMALL_TUPLE_EXT";
            case LARGE_TUPLE_EXT -> "LARGE_TUPLE_EXT";
            case NIL_EXT -> "NIL_EXT";
            case STRING_EXT -> "STRING_EXT";
            case LIST_EXT -> "LIST_EXT";
            case BINARY_EXT -> "BINARY_EXT";
            case SMALL_BIG_EXT -> "SMALL_BIG_EXT";
            case LARGE_BIG_EXT -> "LARGE_BIG_EXT";
            case NEW_FUN_EXT -> "NEW_FUN_EXT";
            case EXPORT_EXT -> "EXPORT_EXT";
            case NEW_REFERENCE_EXT -> "NEW_REFERENCE_EXT";
            case SMALL_ATOM_EXT -> "SMALL_ATOM_EXT";
            case MAP_EXT -> "MAP_EXT";
            case FUN_EXT -> "FUN_EXT";
            case ATOM_UTF8_EXT -> "ATOM_UTF8_EXT";
            case SMALL_ATOM_UTF8_EXT -> "SMALL_ATOM_UTF8_EXT";
            case V4_PORT_EXT -> "V4_PORT_EXT";
            case LOCAL_EXT -> "LOCAL_EXT";
            default -> "unknown tag";
        };
        return name + " (" + tag + ")";
    }
}
