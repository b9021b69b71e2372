package io.ergon.net.internal;

import java.io.IOException;

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
            FrameWriter writer = new FrameWriter(c.socket().getOutputStream(), c.has(DistFlags.FRAGMENTS));
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
}
