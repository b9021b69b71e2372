package io.ergon.term;

/**
 * A Java value that stands for an Erlang term, such as a trapped exit message standing for
 * {@code {'EXIT', From, Reason}}. The codec and the formatter use {@link #toTerm()} wherever they meet one.
 */
public interface TermConvertible {
    /** The Erlang term this value stands for (built from terms the codec knows). */
    Object toTerm();
}
