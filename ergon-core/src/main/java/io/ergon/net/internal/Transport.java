package io.ergon.net.internal;

import java.io.IOException;
import java.net.Socket;

/**
 * How a distribution connection's bytes travel, the seam between the TCP sockets the {@link Listener} accepts and
 * the {@link Connector} opens, and the handshake and frames that run over them: {@link #PLAIN} TCP as it is, or TLS
 * wrapped around it from the first byte ({@link TlsTransport}, Erlang's {@code inet_tls_dist}). The plain transport
 * hands the socket back untouched, so the plain path costs what it did before the seam.
 */
interface Transport {
    /** Plain TCP: the socket as it is, handshake messages with 2-byte lengths. */
    Transport PLAIN = new Transport() {
        @Override
        public Channel accepted(Socket tcp, long deadlineNanos) {
            return new Channel(tcp, tcp);
        }

        @Override
        public Channel connected(Socket tcp, String peerHost, long deadlineNanos) {
            return new Channel(tcp, tcp);
        }

        @Override
        public int handshakeLengthBytes() {
            return 2;
        }

        @Override
        public String toString() {
            return "TCP";
        }
    };

    /**
     * The acceptor's side of a new connection: for TLS, the TLS handshake as a server, done by {@code deadlineNanos}
     * ({@link System#nanoTime()}).
     *
     * @throws IOException if it failed; {@link TlsFailures#explain} says why in words
     */
    Channel accepted(Socket tcp, long deadlineNanos) throws IOException;

    /** The initiator's side: for TLS, the handshake as a client of {@code peerHost} (the host of the peer's name). */
    Channel connected(Socket tcp, String peerHost, long deadlineNanos) throws IOException;

    /**
     * How many bytes give a distribution handshake message's length: 2 over TCP, and 4 over TLS, where Erlang's
     * {@code inet_tls_dist} keeps its socket in {@code {packet, 4}} from the start.
     */
    int handshakeLengthBytes();
}
