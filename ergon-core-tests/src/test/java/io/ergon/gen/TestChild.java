package io.ergon.gen;

import io.ergon.term.Pid;

/**
 * A supervised worker for tests: reports {@link Events.Started} from init and {@link Events.Stopped} from terminate
 * (it traps exits, so a supervisor's {@code shutdown} runs its terminate), and exits on request.
 */
class TestChild extends GenServer {
    /** Exit with this reason (a cast or a plain message). */
    record ExitWith(Object reason) {
    }

    /** Throw an exception (a crash). */
    record Crash() {
    }

    private final String id;
    private final Pid report;

    TestChild(String id, Pid report) {
        this.id = id;
        this.report = report;
    }

    static ChildSpec spec(String id, Pid report) {
        return ChildSpec.worker(id, () -> new TestChild(id, report));
    }

    @Override
    protected void init() {
        trapExit(true);
        send(report, new Events.Started(id, self()));
    }

    @Override
    protected void handleCast(Object message) {
        handleInfo(message);
    }

    @Override
    protected void handleInfo(Object message) {
        switch (message) {
            case ExitWith(Object reason) -> stop(reason);
            case Crash c -> throw new IllegalStateException("child " + id + " crashed on purpose");
            default -> {
            }
        }
    }

    @Override
    protected void terminate(Object reason) {
        send(report, new Events.Stopped(id, reason));
    }
}
