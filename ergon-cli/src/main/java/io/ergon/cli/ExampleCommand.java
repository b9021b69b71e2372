package io.ergon.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.ergon.examples.Alarms;
import io.ergon.examples.CodeLock;
import io.ergon.examples.PriceTicker;
import io.ergon.examples.SimpleActor;
import io.ergon.examples.SupervisedWorker;
import io.ergon.examples.TwoNodes;
import io.ergon.examples.WorkerPool;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ergon example NAME}: runs one of the examples in {@code ergon-examples}, with its log shown. */
@Command(name = "example", description = "Runs an example (simple-actor, supervised-worker, two-nodes, code-lock, "
        + "alarms, worker-pool, price-ticker); its log goes to stderr.")
final class ExampleCommand implements Callable<Integer> {
    static final List<String> NAMES = List.of("simple-actor", "supervised-worker", "two-nodes", "code-lock", "alarms",
            "worker-pool", "price-ticker");

    /** The example names, for help and completion. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return NAMES.iterator();
        }
    }

    @Parameters(index = "0", paramLabel = "NAME", completionCandidates = Names.class,
            description = "which example: ${COMPLETION-CANDIDATES}")
    String name;

    @Parameters(index = "1", paramLabel = "ROLE", arity = "0..1",
            description = "for two-nodes: node1 or node2 to run one node in this process (default: both)")
    String role;

    @Override
    public Integer call() throws Exception {
        // the examples show their work in the log: make it visible
        for (String logger : List.of("io.ergon.examples", "io.ergon.gen.Supervisor")) {
            ((Logger) LoggerFactory.getLogger(logger)).setLevel(Level.INFO);
        }
        switch (name) {
            case "simple-actor" -> SimpleActor.run();
            case "supervised-worker" -> {
                var workers = SupervisedWorker.run();
                System.out.println("The worker " + workers[0] + " crashed; its supervisor replaced it with "
                        + workers[1] + ".");
            }
            case "two-nodes" -> TwoNodes.main(role == null ? new String[0] : new String[] {role});
            case "code-lock" -> System.out.println("Answers to buttons 1, 2, 3, then 9 while open: " + CodeLock.run());
            case "alarms" -> System.out.println("Handlers left, and alarms counted: " + Alarms.run());
            case "worker-pool" -> System.out.println("Requests handled, by worker: " + WorkerPool.run());
            case "price-ticker" -> PriceTicker.main(new String[0]);
            default -> {
                System.err.println("ergon: no example named '" + name + "'; there are: " + String.join(", ", NAMES));
                return 2;
            }
        }
        return 0;
    }
}
