package io.ergon.gen.internal;

import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * What OTP's shutdown protocol needs of the process that stops a child ({@link ChildShutdown}): a supervisor, or
 * the application controller stopping an application's root.
 */
public interface ChildStopper {
    Ref monitor(Pid pid);

    void exit(Pid pid, Object reason);

    void unlink(Pid pid);

    /** Selective receive; null if nothing matched in time (null timeout waits forever). */
    Object receive(Predicate<Object> match, Duration timeout);
}
