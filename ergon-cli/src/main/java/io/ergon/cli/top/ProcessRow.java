package io.ergon.cli.top;

import io.ergon.term.Pid;

/**
 * One process as {@code ergon top} shows it, from {@code erlang:process_info/2}.
 *
 * @param pid the process
 * @param name its registered name, or "" if it has none
 * @param queue its message queue length
 * @param reductions its reductions (Erlang), or messages handled (Ergon, where it counts them)
 * @param memory its memory in bytes (Ergon: an estimate)
 * @param function its current function, in Erlang syntax ({@code Module:Function/Arity})
 */
public record ProcessRow(Pid pid, String name, long queue, long reductions, long memory, String function) {
}
