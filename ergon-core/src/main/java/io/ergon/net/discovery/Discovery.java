package io.ergon.net.discovery;

import io.ergon.node.Node;
import java.io.IOException;
import java.util.Collection;

/**
 * A source of the peers a node should be connected to. A {@link Membership} asks it for {@link #peers()} when it
 * starts, then every poll interval and whenever the source says the answer may have changed; it connects to what it
 * finds. Implementations: {@link StaticDiscovery}, {@link DnsDiscovery}, {@link EtcdDiscovery}.
 *
 * <p>A source serves one node. {@link #start} and {@link #close} are called once each, by the membership, from one
 * thread; {@link #peers()} from the membership's thread only.
 */
public interface Discovery extends AutoCloseable {
    /**
     * Starts the source for {@code node}: a registry where nodes announce themselves (etcd) registers the node here,
     * and a source that can watch for changes starts watching. The default does nothing.
     *
     * @param changed to run (from any thread) when {@link #peers()} may answer differently than it did
     * @throws IOException if the source cannot be reached; the membership does not start then
     */
    default void start(Node node, Runnable changed) throws IOException {
    }

    /**
     * The peers known now. The node itself may be among them; the membership leaves it out.
     *
     * @throws IOException if the source cannot be asked now; the membership keeps the peers it had and asks again
     */
    Collection<Peer> peers() throws IOException;

    /**
     * A source from its text form, as {@code ergon node --discovery} takes it:
     * <ul>
     *   <li>{@code static:a@host1,b@host2=9100}: {@link StaticDiscovery#parse}, a port after {@code =};</li>
     *   <li>{@code dns:ALIVE@NAME}: {@link DnsDiscovery#addresses}; {@code srv:ALIVE@NAME}: {@link DnsDiscovery#srv};
     *       {@code dns://SERVER[:PORT]/ALIVE@NAME} (or {@code srv://...}) asks that DNS server;</li>
     *   <li>{@code etcd:http://HOST:PORT/PREFIX/}: {@link EtcdDiscovery} under that prefix (default
     *       {@code /ergon/nodes/}).</li>
     * </ul>
     *
     * @throws IllegalArgumentException if {@code spec} is none of these, with the forms in the message
     */
    static Discovery parse(String spec) {
        return DiscoverySpec.parse(spec);
    }

    /** Stops the source: a registry removes the node's own entry. The default does nothing. */
    @Override
    default void close() {
    }
}
