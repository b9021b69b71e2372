package io.ergon.net.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A connection's writer loop: takes the queued frames in order and writes them ({@link FrameWriter}), batching
 * them under load and flushing when the queue runs dry, until the connection closes or a graceful close's end
 * marker comes; a failed write closes the connection.
 */
final class ConnectionWriter implements Runnable {
    private final Connection c;
    private final Distribution dist;

    ConnectionWriter(Connection c, Distribution dist) {
        this.c = c;
        this.dist = dist;
    }

    @Override
    public void run() {
        OutQueue queue = c.queue();
        try {
            PeerTraffic traffic = c.traffic();
            FrameWriter writer = new FrameWriter(counting(c.socket().getOutputStream(), traffic),
                    c.has(DistFlags.FRAGMENTS));
            while (c.state() == Connection.State.UP) {
                OutFrame f = queue.poll();
                if (f == null) {
                    writer.flush();
                    queue.await();
                    continue;
                }
                if (f == OutFrame.END) {
                    writer.flush();
                    c.drained();
                    return;
                }
                writer.write(f);
                c.ticks().frameOut();
                if (f != OutFrame.TICK) {
                    traffic.messageOut();
                }
                c.busy().written(f.data().length, dist.busyLimit());
            }
        } catch (IOException | RuntimeException e) {
            if (c.state() != Connection.State.CLOSED) {
                c.fail("write failed: " + e.getMessage());
            }
        } catch (Error e) {
            c.fail("the writer failed: " + e);
            throw e;
        }
    }

    /** The socket's stream, counting the bytes that go into it ({@link FrameWriter} writes whole buffers only). */
    private static OutputStream counting(OutputStream out, PeerTraffic traffic) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                traffic.bytesOut(len);
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                traffic.bytesOut(1);
            }
        };
    }
}
