/**
 * What a node is made of, read over rpc with the same calls for an Erlang and an Ergon node (Erlang's introspection
 * BIFs, {@code supervisor:which_children}, {@code application:which_applications}, {@code net_kernel:nodes_info}):
 * the rows {@code ergon top} and the web observer show.
 */
package io.ergon.observer.snapshot;
