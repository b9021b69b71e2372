package io.ergon.etf;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.term.ImproperList;
import io.ergon.term.LocalFun;
import io.ergon.term.Pid;
import io.ergon.term.Port;
import io.ergon.term.Ref;
import io.ergon.term.TermFormat;
import io.ergon.term.TermParser;
import io.ergon.term.Tuple;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.zip.InflaterInputStream;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every line of the OTP 25 corpus: decode, format as ~w, re-encode byte for byte, parse the text back. */
class CorpusTest {
    static List<Corpus> lines() {
        return Corpus.lines();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void decodesFormatsAndReencodesExactly(Corpus line) throws Exception {
        byte[] bytes = line.bytes();
        Object term = new EtfDecoder().decode(bytes);

        assertThat(Corpus.withoutNodeIndex(TermFormat.format(term))).isEqualTo(Corpus.withoutNodeIndex(line.text()));

        EtfEncoder encoder = new EtfEncoder();
        if (line.compressed()) {
            byte[] again = encoder.encodeCompressed(term, 6);
            if (!java.util.Arrays.equals(again, bytes)) {
                // zlib may differ by version; the README allows comparing the payloads then.
                assertThat(payload(again)).isEqualTo(payload(bytes));
            }
        } else {
            assertThat(Etf.hex(encoder.encode(term))).isEqualTo(line.hex());
        }

        if (parseApplies(term)) {
            Object parsed = TermParser.parse(line.text());
            byte[] fromText = line.compressed() ? encoder.encodeCompressed(parsed, 6) : encoder.encode(parsed);
            if (line.compressed()) {
                assertThat(payload(fromText)).isEqualTo(payload(bytes));
            } else {
                assertThat(Etf.hex(fromText)).isEqualTo(line.hex());
            }
        }
    }

    /** The README: parse applies to terms without pids, ports, references, local funs, or maps over 32 keys. */
    static boolean parseApplies(Object term) {
        ArrayDeque<Object> work = new ArrayDeque<>();
        work.push(term);
        while (!work.isEmpty()) {
            Object t = work.pop();
            switch (t) {
                case Pid p -> {
                    return false;
                }
                case Port p -> {
                    return false;
                }
                case Ref r -> {
                    return false;
                }
                case LocalFun f -> {
                    return false;
                }
                case Tuple tuple -> tuple.elements().forEach(work::push);
                case List<?> list -> list.forEach(work::push);
                case ImproperList list -> {
                    list.elements().forEach(work::push);
                    work.push(list.tail());
                }
                case Map<?, ?> map -> {
                    if (map.size() > 32) {
                        return false;
                    }
                    map.forEach((k, v) -> {
                        work.push(k);
                        work.push(v);
                    });
                }
                default -> {
                }
            }
        }
        return true;
    }

    /** The decompressed term bytes of a compressed encoding, or the plain term bytes of an uncompressed one. */
    static byte[] payload(byte[] encoding) throws Exception {
        if ((encoding[1] & 0xff) != EtfTags.COMPRESSED) {
            return java.util.Arrays.copyOfRange(encoding, 1, encoding.length);
        }
        try (InflaterInputStream in = new InflaterInputStream(
                new ByteArrayInputStream(encoding, 6, encoding.length - 6))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
