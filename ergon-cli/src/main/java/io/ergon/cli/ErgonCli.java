package io.ergon.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ergon} command: the entry point that dispatches to the subcommands. */
@Command(name = "ergon",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT, // -h/--help and -V/--version on every subcommand too
        versionProvider = ErgonCli.Version.class,
        description = "Erlang/OTP's programming model for Java.",
        subcommands = {DemoCommand.class, ExampleCommand.class, NodeCommand.class, PingCommand.class, RpcCommand.class,
            TopCommand.class, ObserverCommand.class, EpmdCommand.class, NamesCommand.class, TermCommand.class, CommandLine.HelpCommand.class})
public final class ErgonCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (used by tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new ErgonCli());
        // a bad option value found while starting a node (-proto_dist, an unreadable -ssl_dist_optfile): its message,
        // not a stack trace
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                line.getErr().println("ergon " + line.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Reads the version the build wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = ErgonCli.class.getResourceAsStream("/ergon-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"ergon " + p.getProperty("version", "unknown")
                    + " (Java " + Runtime.version() + ", " + System.getProperty("java.vm.name") + ")"};
        }
    }
}
