package io.ergon.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ergon.etf.Etf;
import io.ergon.etf.EtfEncoder;
import io.ergon.etf.TermArbitrariesAccess;
import io.ergon.term.ImproperList;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Erlang node (the {@code escript} of the installed OTP) decodes what Ergon encodes: for generated terms,
 * {@code binary_to_term} of Ergon's bytes {@code =:=} the term Erlang builds from Ergon's text, Erlang's {@code ~w}
 * of it is Ergon's text, and Erlang's own {@code term_to_binary} gives Ergon's bytes. Skipped, with a message, where
 * no Erlang is installed.
 */
@Tag("erlang")
class ErlangInteropTest {
    private static final long TIMEOUT_SECONDS = 120;
    private static String escript;

    @TempDir
    static Path dir;

    @BeforeAll
    static void findErlang() {
        escript = onPath("escript");
        assumeTrue(escript != null && onPath("erl") != null,
                "Erlang/OTP is not installed (no erl/escript on the PATH): skipping the interop tests; "
                        + ".ci/run installs erlang-nox");
    }

    private static String onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    @Test
    void erlangDecodesWhatErgonEncodes() throws Exception {
        EtfEncoder encoder = new EtfEncoder();
        List<String> lines = new ArrayList<>();
        for (Object term : TermArbitrariesAccess.readableTerms(3000)) {
            byte[] bytes = encoder.encode(term);
            // Erlang's ~w shows maps in its order: compare with Ergon's text of the decoded term, which has it,
            // except for maps past 32 keys, whose order in Erlang follows key hashes.
            String kind = hasLargeMap(term) ? "E" : "B";
            lines.add(kind + "\t" + Etf.hex(bytes) + "\t" + latin1Hex(TermFormat.format(Etf.decode(bytes))));
        }
        // Pids, ports, references and funs cannot be written as text: Erlang re-encodes them to the same bytes.
        TermArbitrariesAccess.anyTerms(1500).forEach(term -> {
            if (!hasLargeMap(term)) {
                lines.add("R\t" + Etf.hex(encoder.encode(term)));
            }
        });
        // Random doubles of every magnitude: ~w's shortest form must match Ergon's, bit for bit.
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(d)) {
                lines.add("B\t" + Etf.hex(encoder.encode(d)) + "\t" + latin1Hex(TermFormat.format(d)));
            }
        }
        List<String> answers = runEscript(lines);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!answers.get(i).equals("ok")) {
                failures.add(lines.get(i) + "\n    -> " + answers.get(i));
            }
        }
        if (!failures.isEmpty()) {
            Path report = Path.of("target", "erlang-interop-failures.txt");
            Files.write(report, failures, StandardCharsets.ISO_8859_1);
        }
        assertThat(failures).as(failures.size() + " of " + lines.size() + " lines failed (all in "
                + "target/erlang-interop-failures.txt)").isEmpty();
    }

    @Test
    void largeMapsDecodeInErlangsOrderAndReencodeExactly() throws Exception {
        List<String> answers = runEscript(List.of("G\t80\t11"));
        List<String> maps = answers.stream().filter(a -> a.startsWith("M\t")).toList();
        assertThat(maps).hasSize(80);
        for (String m : maps) {
            String[] cols = m.split("\t", 3);
            Object term = Etf.decode(Etf.unhex(cols[1]));
            // OTP writes a map of more than 32 keys in the reverse of its iteration order; decoding restores it.
            assertThat(TermFormat.format(term)).isEqualTo(cols[2]);
            assertThat(Etf.hex(Etf.encode(term))).isEqualToIgnoringCase(cols[1]);
        }
    }

    @Test
    void zeroAndMinusZeroAreTheSameTermAsErgonSays() throws Exception {
        String expr = "{erlang:system_info(otp_release), 0.0 =:= -0.0, map_size(#{0.0 => a, -0.0 => b})}";
        List<String> answers = runEscript(List.of("X\t" + latin1Hex(expr)));
        String release = answers.get(0).replaceAll("^= \\{\\[([0-9,]+)\\],.*", "$1");
        assumeTrue(release.equals("50,53"), "Ergon follows OTP 25 here; this node is another release: "
                + answers.get(0));
        // OTP 25: 0.0 =:= -0.0, and they are one map key. Ergon agrees (OTP 27 changed both).
        assertThat(answers.get(0)).isEqualTo("= {[50,53],true,1}");
        assertThat(io.ergon.term.Terms.exactlyEqual(0.0, -0.0)).isTrue();
    }

    /** Runs the checking escript with the lines on its input and returns its answer lines (without "done"). */
    private static List<String> runEscript(List<String> lines) throws IOException, InterruptedException {
        Path script = dir.resolve("check_terms.escript");
        if (!Files.exists(script)) {
            try (InputStream in = ErlangInteropTest.class.getResourceAsStream("/erlang/check_terms.escript")) {
                Files.copy(in, script);
            }
        }
        Process p = new ProcessBuilder(escript, script.toString()).redirectErrorStream(true).start();
        try {
            Thread writer = Thread.ofVirtual().start(() -> {
                try (OutputStream out = p.getOutputStream()) {
                    for (String line : lines) {
                        out.write((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                } catch (IOException e) {
                    // the reader below reports what the process said
                }
            });
            List<String> answers = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            Thread watchdog = Thread.ofVirtual().start(() -> {
                try {
                    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (String line = r.readLine(); line != null && !line.equals("done"); line = r.readLine()) {
                answers.add(line);
            }
            assertThat(System.nanoTime()).as("escript answered within " + TIMEOUT_SECONDS + " s")
                    .isLessThan(deadline);
            writer.join();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            watchdog.interrupt();
            return answers;
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    private static String latin1Hex(String text) {
        return Etf.hex(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean hasLargeMap(Object term) {
        ArrayDeque<Object> work = new ArrayDeque<>();
        work.push(term);
        while (!work.isEmpty()) {
            switch (work.pop()) {
                case Map<?, ?> m -> {
                    if (m.size() > 32) {
                        return true;
                    }
                    m.forEach((k, v) -> {
                        work.push(k);
                        work.push(v);
                    });
                }
                case Tuple t -> t.elements().forEach(work::push);
                case List<?> l -> l.forEach(work::push);
                case ImproperList l -> {
                    l.elements().forEach(work::push);
                    work.push(l.tail());
                }
                default -> {
                }
            }
        }
        return false;
    }
}
