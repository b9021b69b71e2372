package io.ergon.etf;

import java.util.List;

/** Samples of the generated terms for tests in other packages (the interop test). */
public final class TermArbitrariesAccess {
    private TermArbitrariesAccess() {
    }

    /** Terms that can be written as text (no pids, ports, references or funs). */
    public static List<Object> readableTerms(int n) {
        return TermArbitraries.terms(false).sampleStream().limit(n).toList();
    }

    /** Terms of every kind. */
    public static List<Object> anyTerms(int n) {
        return TermArbitraries.terms(true).sampleStream().limit(n).toList();
    }
}
