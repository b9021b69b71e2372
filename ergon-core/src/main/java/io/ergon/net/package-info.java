/**
 * Erlang distribution seen from users: EPMD ({@link io.ergon.net.EpmdClient}, {@link io.ergon.net.EpmdServer}),
 * node names, and {@link io.ergon.net.Rpc} (rpc and remote spawn, both ways). A node joins a cluster with
 * {@code NodeOptions.distributed(true)}; the protocol itself is in {@code io.ergon.net.internal}. Stable.
 */
package io.ergon.net;
