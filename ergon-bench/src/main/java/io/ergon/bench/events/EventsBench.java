package io.ergon.bench.events;

import io.ergon.bench.pekko.PekkoEventStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Publish to many subscribers, on one system in this JVM: {@code EventsBench ergon|pekko SUBSCRIBERS RUNS WARMUPS
 * [DELIVERIES]}. One producer publishes DELIVERIES / SUBSCRIBERS events (default 5,000,000 deliveries in all) to
 * SUBSCRIBERS subscribers, which check the order; prints {@code RESULT|events<N>|system|deliveries/s|v1,v2,...} for
 * the measured runs, in the suite's result format. Exits non-zero if a run fails its checks.
 *
 * <pre>{@code
 * mvn -q -Pbench -pl ergon-bench -am package -DskipTests
 * java -Xmx2g --add-opens java.base/java.lang=ALL-UNNAMED -cp ergon-bench/target/ergon-bench.jar \
 *     io.ergon.bench.events.EventsBench ergon 10 5 2
 * }</pre>
 */
public final class EventsBench {
    private EventsBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: EventsBench ergon|pekko SUBSCRIBERS RUNS WARMUPS [DELIVERIES]");
            System.exit(2);
        }
        String systemName = args[0];
        int subscribers = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        int warmups = Integer.parseInt(args[3]);
        long deliveries = args.length > 4 ? Long.parseLong(args[4]) : 5_000_000L;
        int events = (int) (deliveries / subscribers);
        List<Double> figures = new ArrayList<>();
        try (EventsSystem system = switch (systemName) {
            case "ergon" -> new ErgonEvents();
            case "pekko" -> new PekkoEventStream();
            default -> throw new IllegalArgumentException("no system " + systemName);
        }) {
            for (int i = 0; i < warmups + runs; i++) {
                double f = system.publish(subscribers, events);
                System.err.printf(Locale.ROOT, "%s events%d %s %.0f deliveries/s%n", systemName, subscribers,
                        i < warmups ? "warm-up" : "run", f);
                if (i >= warmups) {
                    figures.add(f);
                }
            }
        }
        System.out.println("RESULT|events" + subscribers + "|" + systemName + "|deliveries/s|" + figures.stream()
                .map(f -> String.format(Locale.ROOT, "%.1f", f)).collect(Collectors.joining(",")));
        System.exit(0);
    }
}
