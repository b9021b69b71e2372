package io.ergon.net.internal;

import io.ergon.node.Node;

/** A test's way to a node's {@link Distribution}, which the public API does not show. */
final class DistributionOf {
    private DistributionOf() {
    }

    static Distribution node(Node n) {
        try {
            var f = Node.class.getDeclaredField("distribution");
            f.setAccessible(true);
            return (Distribution) f.get(n);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
