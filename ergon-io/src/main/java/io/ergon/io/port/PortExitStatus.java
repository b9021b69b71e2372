package io.ergon.io.port;

/**
 * Erlang's {@code {Port, {exit_status, Status}}}: the program exited with {@code status} (128 + the signal's number
 * if a signal killed it), after all it wrote to stdout was delivered. Sent only with
 * {@link PortOptions#exitStatus(boolean)} on; the port is closed when it arrives.
 *
 * @param port the port
 * @param status the program's exit status
 */
public record PortExitStatus(ExternalPort port, int status) {
}
