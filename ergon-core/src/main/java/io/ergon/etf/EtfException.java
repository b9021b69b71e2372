package io.ergon.etf;

/**
 * Thrown when bytes are not a valid External Term Format encoding, or exceed the {@link DecodeLimits}: says what
 * was wrong and at which byte offset (into the array given to the decoder).
 */
public final class EtfException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;
    private final String reason;

    public EtfException(String reason, int offset) {
        super("at byte " + offset + ": " + reason);
        this.reason = reason;
        this.offset = offset;
    }

    /** The byte offset where the problem was found. */
    public int offset() {
        return offset;
    }

    /** What was wrong, without the offset. */
    public String reason() {
        return reason;
    }
}
