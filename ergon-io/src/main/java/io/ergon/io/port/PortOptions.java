package io.ergon.io.port;

import io.ergon.io.Active;
import io.ergon.io.Packet;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How an {@link ExternalPort} runs its program, Erlang's {@code open_port} options: the {@code packet} framing of
 * stdout and stdin ({@code stream} is {@link Packet#raw()}), {@code exit_status}, {@code stderr_to_stdout},
 * {@code cd} and {@code env}. One addition: the {@link Active} mode, {@link Active#always()} by default as an Erlang
 * port delivers, or {@link Active#once()} for flow control (the program then blocks writing to a full pipe until
 * its owner asks for more). Immutable; the methods return changed copies.
 *
 * @param packet how stdout is cut into messages and stdin writes are framed
 * @param active the initial mode
 * @param packetSize the largest packet (or line piece) in bytes
 * @param exitStatus whether the owner gets a {@link PortExitStatus} when the program exits
 * @param stderrToStdout whether stderr goes to stdout (else to this JVM's stderr, as an Erlang port's goes to the
 *     emulator's)
 * @param directory the working directory, or null for this JVM's
 * @param environment variables added to (or, with a null value, removed from) this JVM's environment
 */
public record PortOptions(Packet packet, Active active, int packetSize, boolean exitStatus, boolean stderrToStdout,
                          Path directory, Map<String, String> environment) {
    public PortOptions {
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(active, "active");
        environment = environment == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.HashMap<>(environment));
    }

    /** A raw stream, always active, no exit status, stderr apart, the JVM's directory and environment. */
    public static PortOptions defaults() {
        return new PortOptions(Packet.raw(), Active.always(), 64 << 20, false, false, null, Map.of());
    }

    /** These options with another framing. */
    public PortOptions packet(Packet framing) {
        return new PortOptions(framing, active, packetSize, exitStatus, stderrToStdout, directory, environment);
    }

    /** These options with another initial mode. */
    public PortOptions active(Active mode) {
        return new PortOptions(packet, mode, packetSize, exitStatus, stderrToStdout, directory, environment);
    }

    /** These options with {@code exit_status} on or off. */
    public PortOptions exitStatus(boolean on) {
        return new PortOptions(packet, active, packetSize, on, stderrToStdout, directory, environment);
    }

    /** These options with {@code stderr_to_stdout} on or off. */
    public PortOptions stderrToStdout(boolean on) {
        return new PortOptions(packet, active, packetSize, exitStatus, on, directory, environment);
    }

    /** These options with a working directory. */
    public PortOptions directory(Path dir) {
        return new PortOptions(packet, active, packetSize, exitStatus, stderrToStdout, dir, environment);
    }

    /** These options with environment changes. */
    public PortOptions environment(Map<String, String> changes) {
        return new PortOptions(packet, active, packetSize, exitStatus, stderrToStdout, directory, changes);
    }
}
