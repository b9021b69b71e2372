package io.ergon.term;

/**
 * Thrown by {@link TermParser} for text that is not a term in Erlang syntax; says what was wrong and at which
 * character (counted from 0).
 */
public final class TermSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int position;

    public TermSyntaxException(String reason, int position) {
        super(reason + " at character " + position);
        this.position = position;
    }

    /** Where in the text the problem was found (0-based). */
    public int position() {
        return position;
    }
}
