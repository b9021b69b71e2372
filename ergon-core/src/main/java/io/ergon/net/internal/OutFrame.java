package io.ergon.net.internal;

/**
 * One distribution message ready to go out: its control term and optional payload, encoded without version bytes,
 * back to back in {@code data}. The writer wraps them in whichever frame format the connection negotiated (see
 * {@link FrameWriter}), so a message can be encoded before the handshake has finished.
 *
 * @param data control term, then payload term (if any)
 * @param controlLength where the control term ends (equal to {@code data.length} when there is no payload)
 */
record OutFrame(byte[] data, int controlLength) {
    /** The keep-alive frame: four zero bytes. */
    static final OutFrame TICK = new OutFrame(new byte[0], 0);
    /** Not a frame: tells the writer to flush what came before and stop (a graceful close). */
    static final OutFrame END = new OutFrame(new byte[0], 0);

    boolean hasPayload() {
        return controlLength < data.length;
    }
}
