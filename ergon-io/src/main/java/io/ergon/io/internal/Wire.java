package io.ergon.io.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The bytes of a socket as its owner sees them, over a non-blocking channel: the channel's own bytes
 * ({@link #plain}), or TLS over them ({@link TlsWire}). No call blocks; a call that needs the channel to be readable
 * or writable says so, and its caller has the poller watch. Reads are made by one thread at a time, writes by one
 * thread at a time.
 */
public interface Wire {
    /** What an unfinished handshake waits for. */
    enum Handshake { DONE, NEEDS_READ, NEEDS_WRITE, NEEDS_WORK }

    /**
     * Reads into {@code dst}: the count, 0 if nothing can be read now, -1 at the end of the stream.
     *
     * @param fromChannel false: only what the wire holds already (decrypted or not), without reading the channel
     */
    int read(ByteBuffer dst, boolean fromChannel) throws IOException;

    /** Whether {@link #read} would find bytes without reading the channel (a poller would not see them). */
    boolean readable();

    /**
     * Writes what fits now of {@code src}: true once all of it is out, false if the channel must have room for more
     * (call again when it has).
     */
    boolean write(ByteBuffer src) throws IOException;

    /** Bytes read from the channel that the owner has not had yet (from another thread: a recent value). */
    int buffered();

    /** Whether the wire starts with a handshake, which {@link #handshake} drives. */
    boolean needsHandshake();

    /**
     * Advances the handshake as far as it goes without blocking, and without long computations: when it needs one
     * (a certificate to check, a signature to make) it says so, {@link Handshake#NEEDS_WORK}, and the caller runs
     * {@link #work} on another thread before it advances the handshake again.
     */
    Handshake handshake() throws IOException;

    /** The computations the handshake waits for ({@link Handshake#NEEDS_WORK}); may block for their time. */
    default void work() {
    }

    /** Says goodbye on the channel, if the wire has a way to and room for it, before the channel closes. */
    void closing();

    /** Writes {@code bytes} to the non-blocking {@code channel} until it takes no more: true if all went. */
    static boolean writeWhatFits(SocketChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            if (channel.write(bytes) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The channel's bytes as they are. */
    static Wire plain(SocketChannel channel) {
        return new Wire() {
            @Override
            public int read(ByteBuffer dst, boolean fromChannel) throws IOException {
                return fromChannel ? channel.read(dst) : 0;
            }

            @Override
            public boolean readable() {
                return false;
            }

            @Override
            public boolean write(ByteBuffer src) throws IOException {
                return writeWhatFits(channel, src);
            }

            @Override
            public int buffered() {
                return 0;
            }

            @Override
            public boolean needsHandshake() {
                return false;
            }

            @Override
            public Handshake handshake() {
                return Handshake.DONE;
            }

            @Override
            public void closing() {
            }
        };
    }
}
