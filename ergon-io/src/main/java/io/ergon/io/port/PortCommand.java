package io.ergon.io.port;

import java.util.Objects;

/**
 * Erlang's {@code Port ! {Owner, {command, Data}}}: a message to a port's process ({@link ExternalPort#port()}) that
 * writes {@code data} to the program's stdin, framed by the port's packet option; any process may send it.
 *
 * @param data the bytes to write
 */
public record PortCommand(byte[] data) {
    public PortCommand {
        Objects.requireNonNull(data, "data");
    }
}
