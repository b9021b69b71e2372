package io.ergon.node.internal;

import io.ergon.node.CallException;
import io.ergon.node.ExitException;
import io.ergon.node.Name;
import io.ergon.node.Reasons;
import io.ergon.node.SpawnException;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.TermFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's exit, from the decision to the last signal it sends. An exit is decided on the owner's thread
 * ({@link #markExit}: a crash, a stop the behaviour asked for, an exit signal it does not trap, the node's shutdown),
 * unwinds the handler stack as a {@link ProcessExit}, and is completed where the stack ends ({@link #completeExit}:
 * the terminate callback if the exit allows one, the crash report, then {@link #finishExit}). Once final, what is
 * still queued is answered as to a dead process, linked processes get the exit signal, monitors fire their DOWN,
 * the monitors it held end, and it leaves the node; the runtime's own clean-up ({@link ExitHooks}) runs before the
 * links and monitors learn of it.
 *
 * <p>Owner's thread only. Stateless: the exit's state is in {@link ProcessCore}'s fields, so a process costs no
 * extra object for it.
 */
final class ExitFlow {
    private static final Logger LOG = LoggerFactory.getLogger("io.ergon.node.Process");

    private ExitFlow() {
    }

    /** After a callback: honour an exit decided during it (also one it swallowed), or a stop it asked for. */
    static void afterCallback(ProcessCore p) {
        if (p.exiting != null) {
            throw new ProcessExit(p.exiting, p.exitRunsTerminate);
        }
        if (p.stopReason != null) {
            throw markExit(p, p.stopReason, true);
        }
    }

    /**
     * Before a receive: one in a process whose exit is decided unwinds at once (except inside terminate, which may
     * still receive); one in a process that has exited fails with its reason.
     */
    static void checkMayReceive(ProcessCore p) {
        if (p.exiting != null && !p.terminating) {
            throw new ProcessExit(p.exiting, p.exitRunsTerminate);
        }
        if (!p.isAlive()) {
            throw new ExitException(p.exitReason());
        }
    }

    /** A callback threw {@code t}: the process exits with the reason {@code t} stands for, running terminate. */
    static ProcessExit crashed(ProcessCore p, Throwable t) {
        // exit(Reason) is a decision, not a crash: no stack trace for it (but a failed call is a crash)
        boolean decided = t instanceof ExitException && !(t instanceof CallException);
        p.crash = decided ? null : withoutCallersFrames(t);
        return markExit(p, Reasons.of(t), true);
    }

    /**
     * {@code t} with its stack trace ending at the crashed process's own activation, when a caller ran that activation
     * nested in its own ({@link Scheduler#runCallee}, {@link Scheduler#runHere}): the frames below are the caller's,
     * not the crashed process's, and its crash report should not show them.
     */
    private static Throwable withoutCallersFrames(Throwable t) {
        StackTraceElement[] frames = t.getStackTrace();
        int activation = -1;
        for (int i = 0; i < frames.length; i++) {
            StackTraceElement f = frames[i];
            if (!f.getClassName().equals(Scheduler.class.getName())) {
                continue;
            }
            if (activation < 0 && f.getMethodName().equals("activate")) {
                activation = i;
            } else if (activation >= 0
                    && (f.getMethodName().equals("runCallee") || f.getMethodName().equals("runHere"))) {
                t.setStackTrace(java.util.Arrays.copyOf(frames, activation + 1));
                break;
            }
        }
        return t;
    }

    /**
     * Decides that the process exits with {@code reason}; returns the {@link ProcessExit} to throw. The first
     * decision holds, except inside terminate: being killed there (or hit by an exit signal it does not trap) is
     * its end.
     */
    static ProcessExit markExit(ProcessCore p, Object reason, boolean runTerminate) {
        if (p.exiting == null) {
            p.exiting = reason;
            p.exitRunsTerminate = runTerminate;
        } else if (p.terminating) {
            p.exiting = reason;
        }
        return new ProcessExit(p.exiting, p.exitRunsTerminate);
    }

    /**
     * Init ended the process (it failed, asked to stop or to be ignored, or was killed): completes the exit without
     * terminate and returns what the spawner throws.
     */
    static SpawnException initFailed(ProcessCore p) {
        Object reason = p.exiting;
        Throwable cause = p.crash; // kept for the exit's count and crash event; no report is logged without terminate
        p.exitRunsTerminate = false;
        p.exiting = reason == SpawnException.IGNORE ? Reasons.NORMAL : reason;
        completeExit(p);
        return new SpawnException(reason, cause);
    }

    /** Finishes an exit decided on this thread: the terminate callback, the crash report, then the exit itself. */
    static void completeExit(ProcessCore p) {
        Object reason = p.exiting;
        boolean report = p.exitRunsTerminate;
        if (p.exitRunsTerminate && p.actor != null) {
            p.terminating = true;
            try {
                ActorAccess.get().terminate(p.actor, reason);
            } catch (ProcessExit e) {
                // an exit signal ended terminate early; exiting holds the final reason
            } catch (Throwable t) {
                withProcessMdc(p, () -> LOG.error("{}: terminate({}) threw", p.pid(), TermFormat.print(reason), t));
            } finally {
                p.terminating = false;
            }
        }
        if (!Reasons.isNormal(reason) && report) {
            String behaviour = p.actor == null ? "mailbox" : p.actor.getClass().getName();
            Throwable crash = p.crash;
            withProcessMdc(p, () -> {
                if (crash != null) {
                    LOG.error("process {} ({}) crashed: {}", p.pid(), behaviour, TermFormat.print(reason), crash);
                } else {
                    LOG.warn("process {} ({}) exited: {}", p.pid(), behaviour, TermFormat.print(reason));
                }
            });
        }
        Throwable cause = p.crash;
        p.crash = null;
        finishExit(p, p.exiting, cause);
    }

    /** Logs with the process's node and pid in the MDC, as what its own logger logs ({@link ProcessLogger}). */
    private static void withProcessMdc(ProcessCore p, Runnable log) {
        ProcessLogger.withMdc(p.node().name().name(), TermFormat.format(p.pid()), log);
    }

    /**
     * Makes the exit final: answers what is still queued, signals links and monitors, leaves the node. A process with
     * a behaviour is counted as exited (and as crashed, for an abnormal reason, with its JFR event and the listeners
     * told: {@link NodeCounters#exited}) once it is no longer alive and before its links and monitors learn of it, so
     * that whoever learns of the exit finds it counted.
     */
    static void finishExit(ProcessCore p, Object reason, Throwable cause) {
        NodeCore node = p.node();
        Pid pid = p.pid();
        List<Pid> linked;
        Map<Ref, Relations.Outgoing> held;
        Map<Ref, Relations.Incoming> watchers;
        Object hooks;
        synchronized (p) {
            hooks = p.takeExitHooks();
            Relations r = p.exited(reason);
            linked = r == null ? List.of() : r.activeLinks();
            held = r == null ? Map.of() : r.monitors();
            watchers = r == null ? Map.of() : r.monitoredBy();
        }
        if (p.actor != null) {
            node.counters().exited(p, p.actor.getClass(), reason, cause);
        }
        node.unregisterOnExit(p);
        ExitHooks.run(hooks, pid, reason);
        Object item;
        while ((item = p.poll()) != null) {
            node.answerDead(pid, item);
        }
        SelectiveReceive.dropSaved(p);
        for (Pid peer : linked) {
            node.route(peer, new Signal.Exit(pid, reason, true));
        }
        for (Map.Entry<Ref, Relations.Incoming> w : watchers.entrySet()) {
            Relations.Incoming who = w.getValue();
            Object downItem = who.name() == null ? pid : new Name(who.name(), node.name());
            node.route(who.from(), new Signal.Down(w.getKey(), downItem, reason));
        }
        for (Map.Entry<Ref, Relations.Outgoing> m : held.entrySet()) {
            if (m.getValue().alias()) {
                node.unregisterAlias(m.getKey());
            }
            node.sendDemonitor(pid, m.getKey(), m.getValue().target(), m.getValue().resolved());
        }
        node.removeProcess(p);
        p.actor = null;
    }

    /**
     * A mailbox handle exits now, on its owner's thread. Its owner may not have received for a while, so the links
     * and monitors still queued are taken in first: they then learn the real exit reason.
     */
    static void exitNow(ProcessCore p, Object reason) {
        if (!p.isAlive()) {
            return;
        }
        if (p.exiting == null) {
            p.exiting = reason;
            Object item;
            while ((item = p.poll()) != null) {
                if (item instanceof Signal.Link || item instanceof Signal.Monitor || item instanceof Signal.UnlinkId
                        || item instanceof Signal.UnlinkAck || item instanceof Signal.Demonitor) {
                    ProcessSignals.onSignal(p, (Signal) item);
                } else {
                    NodeCore.dropInbound(item);
                }
            }
        }
        completeExit(p);
    }

    /** A {@link ProcessExit} reached a mailbox handle's owner: completes the exit, returns the reason. */
    static Object completeExitFromReceive(ProcessCore p) {
        Object reason = p.exiting;
        if (p.isAlive()) {
            completeExit(p);
        }
        return reason;
    }
}
