package io.ergon.gen;

import io.ergon.term.Pid;

/**
 * One child as {@link SupervisorClient#whichChildren()} reports it (OTP's {@code {Id, Child, Type, Modules}}).
 *
 * @param id the child's id; null for the children of a {@link Strategy#SIMPLE_ONE_FOR_ONE} supervisor
 * @param pid its process, or null if it is not running (terminated, ignored its start, or being restarted)
 * @param restarting true while a failed restart waits to be tried again (OTP's {@code restarting})
 * @param type worker or supervisor
 */
public record ChildInfo(String id, Pid pid, boolean restarting, ChildType type) {
    /** True if the child has a process. */
    public boolean isRunning() {
        return pid != null;
    }
}
