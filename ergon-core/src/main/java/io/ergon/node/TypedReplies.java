package io.ergon.node;

import io.ergon.etf.RecordRegistry;

/**
 * The one conversion behind typed calls: a reply, as it came (a Java value from a local server, a decoded term from
 * another node), to the type the caller asked for, by the node's {@link RecordRegistry} (docs/TERMS.md): a binary to
 * {@code String}, an integer to {@code Integer} when it fits, a registered record's tuple to the record, the atom
 * {@code undefined} to {@code null} (what a server's {@code null} reply becomes), a value that already has the type
 * to itself.
 */
final class TypedReplies {
    private TypedReplies() {
    }

    static <T> T as(Node node, Object callee, Object reply, Class<T> type) {
        try {
            return node.options().records().fromTerm(reply, type);
        } catch (IllegalArgumentException wrongType) {
            throw new ReplyTypeException(callee, reply, type);
        }
    }
}
