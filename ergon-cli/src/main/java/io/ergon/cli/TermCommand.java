package io.ergon.cli;

import io.ergon.etf.Etf;
import io.ergon.etf.EtfDecoder;
import io.ergon.etf.EtfEncoder;
import io.ergon.etf.EtfException;
import io.ergon.term.TermFormat;
import io.ergon.term.TermParser;
import io.ergon.term.TermSyntaxException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ergon term decode|encode}: converts between the External Term Format (as hex, one encoding per line) and
 * Erlang syntax (one term per line), stdin to stdout. A line that fails prints {@code error: <reason>} in its place
 * and the others go on; the exit status is 1 if any line failed. Text is read and written as UTF-8.
 */
@Command(name = "term", description = "Converts terms between hex External Term Format and Erlang syntax.",
        subcommands = {TermCommand.Decode.class, TermCommand.Encode.class},
        mixinStandardHelpOptions = true)
final class TermCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A conversion of one input line to one output line. */
    interface LineConverter {
        String convert(String line) throws EtfException, TermSyntaxException;
    }

    /** Converts every non-blank line of stdin; returns 1 if any failed. */
    static int eachLine(CommandSpec spec, LineConverter converter) throws IOException {
        // UTF-8 in and out whatever the locale says, so that 'h\u00e9llo' survives a pipe.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int failed = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            try {
                out.println(converter.convert(line.strip()));
            } catch (EtfException | TermSyntaxException e) {
                out.println("error: " + e.getMessage());
                failed++;
            } catch (IllegalArgumentException e) {
                out.println("error: " + e.getMessage());
                failed++;
            }
            out.flush();
        }
        return failed == 0 ? 0 : 1;
    }

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = {"Reads one hex encoding per line (starting with 83, the version byte) and prints each "
                    + "term as Erlang's io_lib:format(\"~w\", [T]) would."})
    static final class Decode implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            EtfDecoder decoder = new EtfDecoder();
            return eachLine(spec, line -> {
                byte[] bytes;
                try {
                    bytes = Etf.unhex(line.startsWith("0x") ? line.substring(2) : line);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("not hex: " + e.getMessage());
                }
                return TermFormat.format(decoder.decode(bytes));
            });
        }
    }

    @Command(name = "encode", mixinStandardHelpOptions = true,
            description = {"Reads one term in Erlang syntax per line and prints its External Term Format "
                    + "encoding as hex, as term_to_binary(T, [{minor_version, 2}]) gives it."})
    static final class Encode implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--compress", paramLabel = "LEVEL", arity = "0..1", fallbackValue = "6",
                description = "Compress as term_to_binary(T, [{compressed, LEVEL}]) does (default level 6).")
        Integer level;

        @Override
        public Integer call() throws IOException {
            EtfEncoder encoder = new EtfEncoder();
            return eachLine(spec, line -> {
                Object term = TermParser.parse(line);
                return Etf.hex(level == null ? encoder.encode(term) : encoder.encodeCompressed(term, level));
            });
        }
    }
}
