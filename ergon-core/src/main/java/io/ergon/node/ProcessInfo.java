package io.ergon.node;

import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.util.List;

/**
 * A snapshot of one process, like Erlang's {@code process_info/1}. Taken without stopping the process, so the
 * figures may already be out of date when read.
 *
 * @param pid the process
 * @param registeredName its registered name, or null
 * @param status what it is doing
 * @param messageQueueLength messages and signals waiting (approximate)
 * @param links the processes it is linked to
 * @param monitors what it monitors (pids, or {@link Name}s)
 * @param monitoredBy the processes that monitor it
 * @param trapExit whether it traps exits
 * @param behaviour the class of its behaviour ({@code Mailbox} for a mailbox handle)
 * @param parent the process that spawned it, or null if spawned from outside any process
 * @param messagesHandled messages it has handled: each one its behaviour's handlers were given, and each one a
 *     receive returned (what Erlang's {@code process_info(Pid, reductions)} answers for an Ergon process); read
 *     without synchronisation while the process runs, so it may be a few messages behind
 */
public record ProcessInfo(Pid pid, Atom registeredName, ProcessStatus status, int messageQueueLength,
                          List<Pid> links, List<Object> monitors, List<Pid> monitoredBy, boolean trapExit,
                          String behaviour, Pid parent, long messagesHandled) {

    /**
     * The snapshot without a count of messages handled (0), as this record was before it had one: code that built
     * one with the ten components still compiles and links.
     */
    public ProcessInfo(Pid pid, Atom registeredName, ProcessStatus status, int messageQueueLength, List<Pid> links,
                       List<Object> monitors, List<Pid> monitoredBy, boolean trapExit, String behaviour, Pid parent) {
        this(pid, registeredName, status, messageQueueLength, links, monitors, monitoredBy, trapExit, behaviour,
                parent, 0);
    }
}
