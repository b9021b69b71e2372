package io.ergon.bench.etf;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpInputStream;
import com.ericsson.otp.erlang.OtpOutputStream;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link EtfBenchmark} and prints Ergon against JInterface: the median of the measurement iterations in
 * passes/s, turned into terms/s and MB/s (bytes of the encodings produced, or decoded). Settings from system
 * properties: {@code bench.forks} (1), {@code bench.warmups} (5), {@code bench.iterations} (10),
 * {@code bench.seconds} (1 per iteration). Also prints the side-by-side suite's {@code RESULT|...} lines (terms/s of
 * every measurement iteration) for {@code bench/run.sh}.
 */
public final class EtfBenchmarkReport {
    private EtfBenchmarkReport() {
    }

    /** The side-by-side suite's line for one benchmark: every measurement iteration in terms/s. */
    private static void printResultLine(RunResult r, int terms) {
        String name = r.getParams().getBenchmark();
        name = name.substring(name.lastIndexOf('.') + 1);
        String system = name.startsWith("ergon") ? "ergon" : "jinterface";
        String id = name.endsWith("Encode") ? "etf.encode" : "etf.decode";
        StringBuilder values = new StringBuilder();
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            for (IterationResult i : b.getIterationResults()) {
                values.append(values.isEmpty() ? "" : ",")
                        .append(String.format(Locale.ROOT, "%.1f", i.getPrimaryResult().getScore() * terms));
            }
        }
        System.out.println("RESULT|" + id + "|" + system + "|terms/s|" + values);
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 1);
        Options options = new OptionsBuilder()
                .include(EtfBenchmark.class.getName())
                .forks(Integer.getInteger("bench.forks", 1))
                .warmupIterations(Integer.getInteger("bench.warmups", 5))
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(Integer.getInteger("bench.iterations", 10))
                .measurementTime(TimeValue.seconds(seconds))
                .threads(1)
                .jvmArgsAppend("-Xms1g", "-Xmx1g")
                .build();
        Collection<RunResult> results = new Runner(options).run();

        int terms = MessageMix.terms().size();
        long ergonBytes = MessageMix.totalBytes();
        long otpBytes = 0;
        for (byte[] b : MessageMix.encodings()) {
            OtpErlangObject o = new OtpInputStream(b).read_any();
            OtpOutputStream out = new OtpOutputStream();
            out.write1(131);
            out.write_any(o);
            otpBytes += out.size();
        }
        System.out.printf(Locale.ROOT, "%nMessage mix: %d terms per pass, %d bytes as OTP/Ergon encode them, %d bytes "
                + "as JInterface encodes them%n", terms, ergonBytes, otpBytes);
        System.out.printf(Locale.ROOT, "%-18s %14s %14s %10s   (median of %d iterations; min..max passes/s)%n",
                "benchmark", "terms/s", "passes/s", "MB/s", Integer.getInteger("bench.iterations", 10));
        double[] medians = new double[4];
        List<String> names = List.of("ergonEncode", "jinterfaceEncode", "ergonDecode", "jinterfaceDecode");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            var stats = r.getPrimaryResult().getStatistics();
            double median = stats.getPercentile(50);
            long bytes = name.equals("jinterfaceEncode") ? otpBytes : ergonBytes;
            medians[names.indexOf(name)] = median;
            System.out.printf(Locale.ROOT, "%-18s %14.0f %14.0f %10.1f   (%.0f..%.0f)%n", name, median * terms, median,
                    median * bytes / 1e6, stats.getMin(), stats.getMax());
        }
        System.out.printf(Locale.ROOT, "Ergon / JInterface: encode %.2fx, decode %.2fx (terms/s)%n",
                medians[0] / medians[1], medians[2] / medians[3]);
        for (RunResult r : results) {
            printResultLine(r, terms);
        }
    }
}
