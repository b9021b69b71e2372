package io.ergon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TermCommandTest {
    private record Result(int status, String out) {
    }

    private static synchronized Result run(String stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int status = ErgonCli.run(args);
            System.out.flush();
            return new Result(status, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
        }
    }

    @Test
    void decodesOneHexEncodingPerLine() {
        Result r = run("836803770161610a6b0003616263\n\n83770668c3a96c6c6f\n8346400921fb54442d18\n", "term", "decode");
        assertThat(r.out()).isEqualTo("{a,10,[97,98,99]}\nh\u00e9llo\n3.141592653589793\n");
        assertThat(r.status()).isZero();
    }

    @Test
    void encodesOneTermPerLine() {
        Result r = run("{a, 10, \"abc\"}\n#{k => <<5:3>>}.\n'\u2603'\n", "term", "encode");
        assertThat(r.out()).isEqualTo("836803770161610a6b0003616263\n837400000001" + "77016b" + "4d0000000103a0\n"
                + "837703e29883\n");
        assertThat(r.status()).isZero();
    }

    @Test
    void badLinesSayWhyAndTheRestGoOn() {
        Result r = run("8361\nzz\n836a\n", "term", "decode");
        assertThat(r.out()).isEqualTo("error: at byte 2: input ends in the middle of SMALL_INTEGER_EXT (0 bytes left)\n"
                + "error: not hex: " + r.out().lines().toList().get(1).substring("error: not hex: ".length()) + "\n"
                + "[]\n");
        assertThat(r.status()).isEqualTo(1);
        Result e = run("{a,\nok\n", "term", "encode");
        assertThat(e.out()).isEqualTo("error: unexpected end of text at character 3\n837702" + "6f6b\n");
        assertThat(e.status()).isEqualTo(1);
    }

    @Test
    void compressesOnRequest() {
        Result r = run("[" + "hello,".repeat(50) + "hello]\n", "term", "encode", "--compress");
        assertThat(r.out()).startsWith("8350");
        Result back = run(r.out(), "term", "decode");
        assertThat(back.out()).isEqualTo("[" + "hello,".repeat(50) + "hello]\n");
    }
}
