/**
 * The {@code ergon} command (picocli): {@code demo}, {@code example}, {@code node}, {@code ping}, {@code rpc},
 * {@code names}, {@code epmd} and {@code term} (run {@code ./ergon --help}). An application, not a library: its
 * classes are not an API.
 */
package io.ergon.cli;
