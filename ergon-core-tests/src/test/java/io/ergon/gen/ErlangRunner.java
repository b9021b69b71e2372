package io.ergon.gen;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Compiles Erlang scenario modules from the test resources and runs them on a real Erlang node (a child process
 * with a hard time limit, killed by its handle if it overstays). Skips the calling test, with a message, when
 * Erlang is not installed.
 */
final class ErlangRunner {
    private static final Map<List<String>, Path> COMPILED = new java.util.HashMap<>();

    private ErlangRunner() {
    }

    /** Skips the test unless {@code erl} and {@code erlc} are on the PATH. */
    static void assumeErlang() {
        assumeTrue(onPath("erl") && onPath("erlc"),
                "Erlang/OTP is not installed (erl/erlc not on the PATH): skipping the comparison with a real Erlang "
                        + "node. Debian: apt-get install erlang-nox");
    }

    /** What an Erlang node printed (stdout and stderr together), and its exit status. */
    record Output(int status, String text) {
        /** The lines {@code name|result}, as a map. */
        Map<String, String> results() {
            Map<String, String> results = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                int bar = line.indexOf('|');
                if (bar > 0) {
                    results.put(line.substring(0, bar), line.substring(bar + 1));
                }
            }
            return results;
        }
    }

    /**
     * Compiles {@code modules} (resources under {@code /erlang/}) and runs {@code main:main()}, which prints lines
     * {@code name|result}; returns them as a map.
     */
    static Map<String, String> run(String main, List<String> modules, Duration limit) throws Exception {
        return call(compile(modules), main, "main", limit).results();
    }

    /**
     * Compiles {@code modules} (resources under {@code /erlang/}) into a directory of their own, once per JVM: the
     * property tests run their scenarios through the same modules once per try.
     */
    static synchronized Path compile(List<String> modules) throws Exception {
        Path dir = COMPILED.get(modules);
        if (dir == null) {
            dir = compileAfresh(modules);
            COMPILED.put(List.copyOf(modules), dir);
        }
        return dir;
    }

    private static Path compileAfresh(List<String> modules) throws Exception {
        Path dir = Files.createTempDirectory("ergon-erlang");
        for (String module : modules) {
            try (InputStream in = ErlangRunner.class.getResourceAsStream("/erlang/" + module + ".erl")) {
                if (in == null) {
                    throw new IllegalStateException("missing test resource /erlang/" + module + ".erl");
                }
                Files.copy(in, dir.resolve(module + ".erl"));
            }
        }
        List<String> erlc = new java.util.ArrayList<>(List.of("erlc", "-o", dir.toString()));
        modules.forEach(m -> erlc.add(dir.resolve(m + ".erl").toString()));
        Output compiled = exec(erlc, dir, Duration.ofSeconds(60));
        for (String module : modules) {
            if (!Files.exists(dir.resolve(module + ".beam"))) {
                throw new IllegalStateException("erlc failed:\n" + compiled.text());
            }
        }
        return dir;
    }

    /** Starts a node that runs {@code module:function()} and waits for it to end, up to {@code limit}. */
    static Output call(Path dir, String module, String function, Duration limit) throws Exception {
        return exec(List.of("erl", "-noshell", "-kernel", "logger_level", "none", "-pa", dir.toString(),
                "-s", module, function), dir, limit);
    }

    private static Output exec(List<String> command, Path dir, Duration limit) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("ERL_CRASH_DUMP_SECONDS", "0"); // a node taken down on purpose writes no dump
        Process p = builder.start();
        byte[][] output = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                output[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                output[0] = new byte[0];
            }
        });
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not finish within " + limit);
        }
        reader.join(5000);
        return new Output(p.exitValue(), output[0] == null ? "" : new String(output[0], StandardCharsets.UTF_8));
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
