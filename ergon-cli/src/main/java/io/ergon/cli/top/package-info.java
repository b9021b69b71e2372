/** {@code ergon top}: a terminal view of any node's processes, Erlang or Ergon, read over rpc. */
package io.ergon.cli.top;
