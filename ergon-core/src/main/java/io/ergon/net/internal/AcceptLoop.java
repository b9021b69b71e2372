package io.ergon.net.internal;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Accepts connections on a server socket until it closes, handing each to {@code onAccept} on the accepting
 * thread. An error other than the close (out of file descriptors, EMFILE or ENFILE, and the like) does not end it:
 * it is logged once per spell, the loop waits 10 ms, doubling up to 1 s, and tries again, so the socket accepts again
 * as soon as descriptors come back (the distribution listener and the embedded EPMD both stopped for good before,
 * issue 19). Used by both.
 *
 * <p>Nor does anything else that {@code accept} or {@code onAccept} throws, an {@link Error} included (an
 * {@link OutOfMemoryError} while a flood fills the heap, or no memory for a new thread): it is logged at ERROR
 * (at most once per spell, with the same back-off), the socket just accepted is closed, and the loop goes on. Such
 * an error used to end the acceptor's thread without a word, leaving the node registered in EPMD and unreachable.
 */
public final class AcceptLoop {
    static final long MIN_BACKOFF_MILLIS = 10;
    static final long MAX_BACKOFF_MILLIS = 1_000;

    private AcceptLoop() {
    }

    /**
     * Runs the loop on the current thread until {@code socket} closes or {@code stopped} says so.
     *
     * @param what names the socket in the log ("EPMD", "node@host")
     */
    public static void run(ServerSocket socket, BooleanSupplier stopped, Logger log, String what,
                           Consumer<Socket> onAccept) {
        long backoffMillis = 0;
        while (!stopped.getAsBoolean() && !socket.isClosed()) {
            Socket s = null;
            try {
                s = socket.accept();
                onAccept.accept(s);
                if (backoffMillis != 0) {
                    log.warn("{}: accepting connections again", what);
                    backoffMillis = 0;
                }
                continue;
            } catch (IOException e) {
                if (stopped.getAsBoolean() || socket.isClosed()) {
                    return;
                }
                if (backoffMillis == 0) {
                    log.warn("{}: cannot accept connections for now, retrying until it can: {}", what, e.toString());
                }
            } catch (Throwable e) { // RuntimeException or Error: the loop must not end
                closeQuietly(s);
                if (stopped.getAsBoolean() || socket.isClosed()) {
                    return;
                }
                if (backoffMillis == 0) {
                    try {
                        log.error("{}: accepting a connection failed; the acceptor goes on", what, e);
                    } catch (Throwable ignored) {
                        // no memory even to log it: go on all the same
                    }
                }
            }
            backoffMillis = Math.min(MAX_BACKOFF_MILLIS, Math.max(MIN_BACKOFF_MILLIS, backoffMillis * 2));
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException interrupted) {
                return;
            }
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (Throwable ignored) {
                // closing anyway
            }
        }
    }
}
