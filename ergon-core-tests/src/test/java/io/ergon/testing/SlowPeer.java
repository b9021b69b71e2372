package io.ergon.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A hostile peer that feeds a message one byte at a time (a slowloris), for tests of deadlines. */
public final class SlowPeer {
    private SlowPeer() {
    }

    /**
     * Writes {@code header}, then one {@code filler} byte every {@code readMillis + sleepMillis} (at most
     * {@code bytes} of them), looking between bytes whether the other side closed.
     *
     * @return the milliseconds from the start until the other side closed, or -1 if it never did
     */
    public static long feedUntilClosed(Socket s, byte[] header, int filler, int bytes, int readMillis,
                                       long sleepMillis) throws IOException, InterruptedException {
        s.setSoTimeout(readMillis);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        long start = System.nanoTime();
        out.write(header);
        for (int i = 0; i < bytes; i++) {
            try {
                out.write(filler);
                out.flush();
                if (in.read() == -1) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
            } catch (SocketTimeoutException stillOpen) {
                Thread.sleep(sleepMillis); // the peer's pace: slow on purpose
            } catch (IOException closed) {
                return (System.nanoTime() - start) / 1_000_000;
            }
        }
        return -1;
    }
}
