package io.ergon.gen;

import java.util.List;

/**
 * Like {@link TestChild}, but records "start id" and "stop id" into a thread-safe list instead of a mailbox: for
 * tests that watch a node go down, when no mailbox survives to receive the reports.
 */
class RecordingChild extends TestChild {
    private final String id;
    private final List<String> log;

    RecordingChild(String id, List<String> log) {
        super(id, null);
        this.id = id;
        this.log = log;
    }

    static ChildSpec spec(String id, List<String> log) {
        return ChildSpec.worker(id, () -> new RecordingChild(id, log));
    }

    @Override
    protected void init() {
        trapExit(true);
        log.add("start " + id);
    }

    @Override
    protected void terminate(Object reason) {
        log.add("stop " + id);
    }
}
