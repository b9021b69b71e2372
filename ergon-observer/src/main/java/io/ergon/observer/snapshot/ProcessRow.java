package io.ergon.observer.snapshot;

import io.ergon.term.Pid;

/**
 * One process as {@code ergon top} and the web observer show it, from {@code erlang:process_info/2}.
 *
 * @param pid the process
 * @param name its registered name, or "" if it has none
 * @param queue its message queue length
 * @param reductions its reductions (Erlang), or messages handled (Ergon, where it counts them)
 * @param memory its memory in bytes (Ergon: an estimate)
 * @param function its current function, in Erlang syntax ({@code Module:Function/Arity})
 * @param initialCall proc_lib's {@code '$initial_call'} from its dictionary ({@code supervisor:Module/1} for a
 *     supervisor, {@code Module:init/1} for another {@code gen_*} process), or "" if it has none
 */
public record ProcessRow(Pid pid, String name, long queue, long reductions, long memory, String function,
                         String initialCall) {
    /** Whether it is a supervisor (an Erlang one or an Ergon one), so {@code which_children} may be asked of it. */
    public boolean isSupervisor() {
        return initialCall.startsWith("supervisor:");
    }

    /** Whether it was started as a {@code gen_*} process, so it answers the {@code sys} protocol. */
    public boolean speaksSys() {
        return !initialCall.isEmpty();
    }
}
