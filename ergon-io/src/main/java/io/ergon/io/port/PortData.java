package io.ergon.io.port;

import java.nio.charset.StandardCharsets;

/**
 * Erlang's {@code {Port, {data, Data}}}: bytes the program wrote to its stdout, one packet of the port's framing.
 *
 * @param port the port they came from
 * @param data the bytes (the array is the owner's)
 */
public record PortData(ExternalPort port, byte[] data) {
    /** The data as UTF-8 text. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PortData[" + port + ", " + data.length + " bytes]";
    }
}
