package io.ergon.io.http;

/**
 * Answers one HTTP request. It runs in the process of the request's connection, one request at a time per
 * connection, so it may block (call processes, read a database) and holds back only its own client: nothing more is
 * read from that connection until it returns. An exception it throws gets a 500 response and ends the connection's
 * process with the exception as its reason (the connection closes, the other connections go on).
 */
@FunctionalInterface
public interface HttpHandler {
    /** The response to {@code request}. */
    HttpResponse handle(HttpRequest request) throws Exception;
}
