package io.ergon.etf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The golden corpus made by a real OTP 25 node (test resource {@code etf/corpus.tsv}, Latin-1 text). */
public record Corpus(String id, String hex, String text) {
    public byte[] bytes() {
        return Etf.unhex(hex);
    }

    public boolean compressed() {
        return id.startsWith("z");
    }

    @Override
    public String toString() {
        return id;
    }

    public static List<Corpus> lines() {
        try (InputStream in = Corpus.class.getResourceAsStream("/etf/corpus.tsv")) {
            if (in == null) {
                throw new IllegalStateException("etf/corpus.tsv is missing from the test resources");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
            List<Corpus> out = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", 3);
                out.add(new Corpus(cols[0], cols[1], cols[2]));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Leaves out the node index of pids, ports and references, which is local to the node that printed them. */
    public static String withoutNodeIndex(String text) {
        return text.replaceAll("<\\d+\\.(\\d+)\\.(\\d+)>", "<N.$1.$2>")
                .replaceAll("#Port<\\d+\\.", "#Port<N.")
                .replaceAll("#Ref<\\d+\\.", "#Ref<N.");
    }
}
