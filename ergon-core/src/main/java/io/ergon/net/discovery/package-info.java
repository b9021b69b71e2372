/**
 * Discovery: how a node finds the other nodes of its cluster and stays connected to them. A {@link
 * io.ergon.net.discovery.Discovery} source reports the peers it knows ({@link io.ergon.net.discovery.StaticDiscovery}
 * a fixed list, {@link io.ergon.net.discovery.DnsDiscovery} DNS A/AAAA or SRV records as a Kubernetes headless service
 * gives them, {@link io.ergon.net.discovery.EtcdDiscovery} an etcd prefix where each node registers itself under a
 * lease); a {@link io.ergon.net.discovery.Membership} connects the node to them and follows them as they come and go.
 * Experimental.
 */
@Experimental
package io.ergon.net.discovery;

import io.ergon.api.Experimental;
