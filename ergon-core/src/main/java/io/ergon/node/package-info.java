/**
 * Nodes and processes: {@link io.ergon.node.Node}, {@link io.ergon.node.Actor} (the base of every behaviour),
 * {@link io.ergon.node.ProcessContext} (what a process can do: send, receive, link, monitor, exit, spawn, timers),
 * {@link io.ergon.node.Mailbox} (a process for a thread that is not one), exit reasons and the exceptions that carry
 * them. The runtime itself is in {@code io.ergon.node.internal}. Stable.
 */
package io.ergon.node;
