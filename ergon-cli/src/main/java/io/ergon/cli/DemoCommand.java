package io.ergon.cli;

import io.ergon.cli.demo.DistributionDemo;
import io.ergon.cli.demo.LocalDemo;
import io.ergon.cli.demo.SupervisionDemo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ergon demo}: the showcase, narrated for a newcomer. */
@Command(name = "demo", description = "Runs Ergon's showcase and narrates what happens.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        System.out.println("Ergon: Erlang/OTP's programming model for Java.");
        System.out.println();
        new LocalDemo(System.out).run();
        new SupervisionDemo(System.out).run();
        new DistributionDemo(System.out).run();
        System.out.println("That was the showcase. Next: README.md for the concepts and the API.");
        return 0;
    }
}
