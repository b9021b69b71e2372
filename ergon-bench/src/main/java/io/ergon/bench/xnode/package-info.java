/**
 * The cross-node workloads on Ergon (a sending client and a receiving server on two nodes) and the idle-cost node:
 * the twins of {@code bench/erlang/xnode.escript}.
 */
package io.ergon.bench.xnode;
