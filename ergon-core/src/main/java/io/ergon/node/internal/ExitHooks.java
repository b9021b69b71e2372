package io.ergon.node.internal;

import io.ergon.term.Pid;
import io.ergon.term.TermFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs when a process exits, besides its links and monitors: the runtime's own clean-up of what the process
 * owned (Erlang closes a port when its owner exits without the port being a process; ergon-io's sockets close so).
 * A hook runs once, on the exiting process's thread, after the process is no longer alive and before its links and
 * monitors learn of the exit, so whoever learns of it finds what the hooks close already closed. A hook must be
 * short and must not throw (what it throws is logged and dropped).
 *
 * <p>A process holds its hooks in one field, as null, a single hook, or a list of them, so that a process with
 * none pays nothing and one with a single hook (a connection's handler) no list. Stateless; the field is guarded by
 * the process's monitor.
 */
final class ExitHooks {
    private static final Logger LOG = LoggerFactory.getLogger("io.ergon.node.Process");

    private ExitHooks() {
    }

    /** {@code hooks} with {@code hook} added. */
    @SuppressWarnings("unchecked")
    static Object add(Object hooks, Consumer<Object> hook) {
        if (hooks == null) {
            return hook;
        }
        if (hooks instanceof ArrayList<?> list) {
            ((List<Object>) list).add(hook);
            return list;
        }
        List<Object> list = new ArrayList<>(2);
        list.add(hooks);
        list.add(hook);
        return list;
    }

    /** Whether {@code hooks} holds {@code hook} (the same object). */
    static boolean contains(Object hooks, Consumer<Object> hook) {
        if (hooks instanceof ArrayList<?> list) {
            for (Object h : list) {
                if (h == hook) {
                    return true;
                }
            }
            return false;
        }
        return hooks == hook;
    }

    /** {@code hooks} without one occurrence of {@code hook} (the same object). */
    static Object remove(Object hooks, Consumer<Object> hook) {
        if (hooks instanceof ArrayList<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) == hook) {
                    list.remove(i);
                    break;
                }
            }
            return list.isEmpty() ? null : list;
        }
        return hooks == hook ? null : hooks;
    }

    /** Runs the hooks taken from the exited process {@code pid}, each with the exit's {@code reason}. */
    @SuppressWarnings("unchecked")
    static void run(Object hooks, Pid pid, Object reason) {
        if (hooks instanceof ArrayList<?> list) {
            for (Object h : list) {
                runOne((Consumer<Object>) h, pid, reason);
            }
        } else if (hooks != null) {
            runOne((Consumer<Object>) hooks, pid, reason);
        }
    }

    private static void runOne(Consumer<Object> hook, Pid pid, Object reason) {
        try {
            hook.accept(reason);
        } catch (RuntimeException e) {
            LOG.warn("{}: an exit hook failed on exit {}", pid, TermFormat.print(reason), e);
        }
    }
}
