package io.ergon.node;

import io.ergon.term.Pid;
import io.ergon.term.Ref;

/**
 * A process spawned with a monitor: Erlang's {@code {Pid, Ref}} from {@code spawn_monitor}.
 *
 * @param pid the new process
 * @param monitor the monitor's reference; its {@link Down} message carries it
 */
public record Spawned(Pid pid, Ref monitor) {
}
