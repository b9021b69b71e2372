/**
 * The web observer: one page for a whole cluster of Erlang, Elixir and Ergon nodes, live. Start it with
 * {@link io.ergon.observer.Observer#start} or {@code ergon observer NODE}.
 *
 * <p>Choices, written down: the HTTP server is the JDK's own {@code com.sun.net.httpserver.HttpServer} (module
 * {@code jdk.httpserver}): no dependency for a server that serves one page, a few JSON answers and one event stream
 * per browser. Live updates are Server-Sent Events (one-way, which is all the page needs; the browser reconnects by
 * itself), not WebSocket. The page is plain JavaScript with its plots drawn as inline SVG, served from the jar: no
 * framework, nothing fetched from the network. Everything is read over rpc with Erlang's own introspection calls,
 * which Ergon nodes answer too, so one observer serves a mixed cluster. Read-only by default; it listens on loopback
 * by default.
 */
package io.ergon.observer;
