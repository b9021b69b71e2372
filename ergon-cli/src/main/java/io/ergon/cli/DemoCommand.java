package io.ergon.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ergon demo}: the showcase. */
@Command(name = "demo", description = "Runs Ergon's showcase and narrates what happens.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("The showcase arrives with the process runtime.");
        return 0;
    }
}
