package io.ergon.term;

import java.util.Arrays;
import java.util.Objects;

/**
 * An Erlang reference: a node name, the node's creation and 1 to 5 32-bit words (OTP makes 3, and 4 or 5 for some
 * references). References are unique per node incarnation; two are equal when node, creation and words are equal.
 */
public final class Ref {
    /** The most words a reference may have on the wire. */
    public static final int MAX_WORDS = 5;

    private final Atom node;
    private final int creation;
    private final int[] words;

    /**
     * @param words the id words in External Term Format order (the first word is the one with 18 significant bits)
     * @throws IllegalArgumentException if there are no words or more than {@value #MAX_WORDS}
     */
    public Ref(Atom node, int creation, int... words) {
        this.node = Objects.requireNonNull(node, "node");
        if (words.length == 0 || words.length > MAX_WORDS) {
            throw new IllegalArgumentException("a reference has 1 to " + MAX_WORDS + " words, not " + words.length);
        }
        this.creation = creation;
        this.words = words.clone();
    }

    /** The node that made the reference. */
    public Atom node() {
        return node;
    }

    /** The node's creation when it made the reference. */
    public int creation() {
        return creation;
    }

    /** How many id words the reference has. */
    public int wordCount() {
        return words.length;
    }

    /** Id word {@code i}, in External Term Format order. */
    public int word(int i) {
        return words[i];
    }

    /** A copy of the id words, in External Term Format order. */
    public int[] words() {
        return words.clone();
    }

    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof Ref ref && ref.creation == creation && Arrays.equals(ref.words, words)
                && ref.node.equals(node));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words) * 31 + creation;
    }

    /** Erlang's rendering, {@code #Ref<N.w.w.w>}; see {@link TermFormat}. */
    @Override
    public String toString() {
        return TermFormat.format(this);
    }
}
