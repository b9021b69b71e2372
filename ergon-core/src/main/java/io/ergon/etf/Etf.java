package io.ergon.etf;

import java.util.HexFormat;

/**
 * Shortcuts for one-off encoding and decoding with default settings (the global {@link RecordRegistry} on encode,
 * {@link DecodeLimits#DEFAULT} and no records on decode). Code on a hot path keeps its own {@link EtfEncoder},
 * {@link EtfBuffer} and {@link EtfDecoder}.
 */
public final class Etf {
    private static final HexFormat HEX = HexFormat.of();

    private Etf() {
    }

    /** {@code term_to_binary(Term)}: the version byte and the term. */
    public static byte[] encode(Object term) {
        return new EtfEncoder().encode(term);
    }

    /** {@code binary_to_term(Bytes)}, except that bytes after the term are refused. */
    public static Object decode(byte[] bytes) throws EtfException {
        return new EtfDecoder().decode(bytes);
    }

    /** Lower-case hex of the bytes. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /**
     * The bytes a hex text stands for (upper or lower case, no separators).
     *
     * @throws IllegalArgumentException if the text is not hex
     */
    public static byte[] unhex(String hex) {
        return HEX.parseHex(hex);
    }
}
