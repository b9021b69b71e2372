package io.ergon.bench.etf;

import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpInputStream;
import com.ericsson.otp.erlang.OtpOutputStream;
import io.ergon.etf.EtfBuffer;
import io.ergon.etf.EtfDecoder;
import io.ergon.etf.EtfEncoder;
import io.ergon.etf.EtfException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encode and decode throughput of Ergon's codec and of JInterface (OTP's own Java library) on the same
 * {@link MessageMix}. Both encode into a reused buffer (version byte, then the term) and decode the same bytes
 * (OTP's encoding of the mix) into their own term objects. One operation is one pass over the mix.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EtfBenchmark {
    private Object[] ergonTerms;
    private OtpErlangObject[] jinterfaceTerms;
    private byte[][] encodings;
    private final EtfEncoder encoder = new EtfEncoder();
    private final EtfDecoder decoder = new EtfDecoder();
    private final EtfBuffer buffer = new EtfBuffer(4096);
    private final OtpOutputStream otpOut = new OtpOutputStream(4096);

    @Setup
    public void setUp() throws OtpErlangDecodeException {
        ergonTerms = MessageMix.terms().toArray();
        List<byte[]> bytes = MessageMix.encodings();
        encodings = bytes.toArray(new byte[0][]);
        jinterfaceTerms = new OtpErlangObject[encodings.length];
        for (int i = 0; i < encodings.length; i++) {
            jinterfaceTerms[i] = new OtpInputStream(encodings[i]).read_any();
        }
    }

    @Benchmark
    public void ergonEncode(Blackhole bh) {
        for (Object term : ergonTerms) {
            buffer.reset();
            encoder.encodeVersioned(term, buffer);
            bh.consume(buffer.size());
        }
    }

    @Benchmark
    public void jinterfaceEncode(Blackhole bh) {
        for (OtpErlangObject term : jinterfaceTerms) {
            otpOut.reset();
            otpOut.write1(131);
            otpOut.write_any(term);
            bh.consume(otpOut.size());
        }
    }

    @Benchmark
    public void ergonDecode(Blackhole bh) throws EtfException {
        for (byte[] b : encodings) {
            bh.consume(decoder.decode(b));
        }
    }

    @Benchmark
    public void jinterfaceDecode(Blackhole bh) throws OtpErlangDecodeException {
        for (byte[] b : encodings) {
            bh.consume(new OtpInputStream(b).read_any());
        }
    }
}
