package io.ergon.testkit;

import io.ergon.node.Node;
import io.ergon.node.ProcessInfo;
import io.ergon.node.ProcessStatus;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Waiting, without sleeping for a guessed time, until processes have nothing left to do: each has handled what it
 * was sent and waits for more. After that, what they were going to send in answer has been sent (a local send puts
 * the message in its receiver's mailbox at once), so a test can read everything that came of an action.
 *
 * <p>Timers are not work: a process that has set a timer and waits is quiet. Mailboxes (a test's probes, threads'
 * handles) are the test's own and are not looked at.
 */
public final class Quiescence {
    private Quiescence() {
    }

    /**
     * Waits until each of {@code pids} is quiet (or gone): no message or signal waiting, and idle or blocked in a
     * receive inside a handler.
     *
     * @throws AssertionError if one is still busy after {@code timeout}
     */
    public static void awaitProcesses(Node node, Duration timeout, Pid... pids) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Pid pid : pids) {
            while (true) {
                ProcessInfo info = node.info(pid);
                if (info == null || (info.messageQueueLength() == 0 && (info.status() == ProcessStatus.IDLE
                        || info.status() == ProcessStatus.WAITING))) {
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(pid + " is still busy after " + timeout + ": " + info);
                }
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Waits until every process of {@code node} but its mailboxes is idle with nothing waiting, twice in a row with
     * no message handled in between (a process that ran between the two looks would have handled one, or ended).
     *
     * @throws AssertionError if the node is still busy after {@code timeout}, naming the busy processes
     */
    public static void awaitNode(Node node, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Pid, Long> before = null;
        while (true) {
            Map<Pid, Long> now = quietLook(node);
            if (now != null && now.equals(before)) {
                return;
            }
            before = now;
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("node " + node.name() + " is still busy after " + timeout + ": " + busy(node));
            }
            Thread.onSpinWait();
        }
    }

    /** Each process's count of messages handled, if every one is idle with an empty mailbox; else null. */
    private static Map<Pid, Long> quietLook(Node node) {
        Map<Pid, Long> handled = new HashMap<>();
        for (Pid pid : node.processes()) {
            ProcessInfo info = node.info(pid);
            if (info == null || isMailbox(info)) {
                continue;
            }
            if (info.messageQueueLength() != 0 || info.status() != ProcessStatus.IDLE) {
                return null;
            }
            handled.put(pid, info.messagesHandled());
        }
        return handled;
    }

    private static List<ProcessInfo> busy(Node node) {
        return node.processes().stream().map(node::info)
                .filter(i -> i != null && !isMailbox(i)
                        && (i.messageQueueLength() != 0 || i.status() != ProcessStatus.IDLE))
                .toList();
    }

    private static boolean isMailbox(ProcessInfo info) {
        return "Mailbox".equals(info.behaviour());
    }
}
