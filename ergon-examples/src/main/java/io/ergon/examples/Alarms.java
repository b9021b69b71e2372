package io.ergon.examples;

import io.ergon.gen.EventHandler;
import io.ergon.gen.EventManagerClient;
import io.ergon.gen.GenEvent;
import io.ergon.node.Node;
import java.util.List;

/**
 * A {@code gen_event} manager with two handlers, in Java: one logs each alarm, the other counts them and answers
 * calls. A third handler fails on its first alarm: the manager takes it out, logs why, and the others go on. Run
 * it with {@code ./ergon example alarms}.
 */
public final class Alarms {
    private Alarms() {
    }

    /** Logs every alarm. */
    static final class LogAlarm extends EventHandler {
        @Override
        protected void handleEvent(Object alarm) {
            log().info("alarm: {}", alarm);
        }
    }

    /** Counts the alarms; answers {@code count}. */
    static final class CountAlarms extends EventHandler {
        private long count;

        @Override
        protected void handleEvent(Object alarm) {
            count++;
        }

        @Override
        protected Object handleCall(Object request) {
            return count;
        }
    }

    /** Fails on the first alarm it sees. */
    static final class Broken extends EventHandler {
        @Override
        protected void handleEvent(Object alarm) {
            throw new IllegalStateException("cannot handle " + alarm);
        }
    }

    public static void main(String[] args) {
        System.out.println(run());
    }

    /**
     * Adds the three handlers, raises three alarms.
     *
     * @return the handlers left, then the count the counter answered
     */
    public static List<Object> run() {
        try (Node node = Node.start("alarms@localhost")) {
            GenEvent.start(node, "alarm_manager");
            EventManagerClient alarms = GenEvent.client(node, "alarm_manager");
            alarms.addHandler("log", LogAlarm::new, null);
            alarms.addHandler("count", CountAlarms::new, null);
            alarms.addHandler("broken", Broken::new, null);
            for (String alarm : List.of("disk_full", "fan_stopped", "door_open")) {
                alarms.syncNotify(alarm);
            }
            return List.of(alarms.whichHandlers(), alarms.call("count", "count"));
        }
    }
}
