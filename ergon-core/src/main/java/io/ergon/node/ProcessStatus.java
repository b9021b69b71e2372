package io.ergon.node;

/** What a process is doing, as {@link Node#info(io.ergon.term.Pid)} sees it. */
public enum ProcessStatus {
    /** Has no thread: waiting for a message (Erlang's {@code waiting}). */
    IDLE,
    /** Has messages or signals to handle and is running or queued to run (Erlang's {@code running}/{@code runnable}). */
    RUNNABLE,
    /** Blocked inside a handler in a receive, e.g. waiting for a call's reply (Erlang's {@code waiting}). */
    WAITING,
    /** Has exited (Erlang's {@code exiting}). */
    EXITED
}
