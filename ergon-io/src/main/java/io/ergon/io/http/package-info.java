/**
 * HTTP/1.1 and WebSocket (RFC 6455) as processes: an {@link io.ergon.io.http.HttpServer} is a supervised TCP server
 * whose connections are processes that answer requests with an {@link io.ergon.io.http.HttpHandler} and upgrade to
 * {@link io.ergon.io.http.WebSocket} sessions, each a process of its own with the same active-once flow control as
 * a socket.
 */
package io.ergon.io.http;
