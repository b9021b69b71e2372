package io.ergon.observer;

import io.ergon.node.Node;
import io.ergon.observer.cluster.ClusterWatch;
import io.ergon.observer.web.ObserverServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * A web observer of a cluster, attached to one of its nodes: it samples the cluster from {@code node} (best a hidden
 * node of its own, as {@code ergon observer} starts, so that watching changes no one's {@code nodes()}) and serves
 * the page and its JSON API (see {@link ObserverServer}). Read-only unless the options allow actions; listens on
 * loopback unless told otherwise.
 *
 * <pre>{@code
 * try (Node me = Node.start("observer@localhost", NodeOptions.defaults().distributed(true).hidden(true));
 *      Observer o = Observer.start(me, "app@localhost", ObserverOptions.defaults().port(8080))) {
 *     System.out.println("open " + o.uri());
 *     ...
 * }
 * }</pre>
 */
public final class Observer implements AutoCloseable {
    private final ClusterWatch watch;
    private final ObserverServer server;

    private Observer(ClusterWatch watch, ObserverServer server) {
        this.watch = watch;
        this.server = server;
    }

    /** Starts watching {@code target}'s cluster from {@code node} and serving the page; listening when it returns. */
    public static Observer start(Node node, String target, ObserverOptions options) throws IOException {
        ClusterWatch watch = new ClusterWatch(node, target, options.interval(), options.timeout(),
                options.scanLimit(), options.allowActions());
        try {
            return new Observer(watch, new ObserverServer(new InetSocketAddress(options.bind(), options.port()),
                    watch));
        } catch (IOException | RuntimeException e) {
            watch.close();
            throw e;
        }
    }

    /** The page's address. */
    public URI uri() {
        return server.uri();
    }

    /** The sampling behind the page (its latest sample, its actions). */
    public ClusterWatch watch() {
        return watch;
    }

    /** Stops serving and sampling. */
    @Override
    public void close() {
        server.close();
        watch.close();
    }
}
