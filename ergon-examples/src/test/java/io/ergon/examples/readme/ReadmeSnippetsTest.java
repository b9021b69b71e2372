package io.ergon.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's {@code java} blocks are the regions of this package's sources that their markers name, word for word,
 * so the README shows only code that compiles (the build compiles it) and runs (ReadmeExamplesTest runs it).
 *
 * <p>A block is preceded by {@code <!-- snippet: FILE#REGION ... -->}: the regions, in order, separated by a blank
 * line (a {@code FILE} of the main sources, else of the tests' package of the same name); {@code FILE} alone is the whole file after its {@code package} line. A region is the lines between
 * {@code // [snippet REGION]} and {@code // [end]}, less their common indentation.
 */
class ReadmeSnippetsTest {
    static final Path README = Path.of("..", "README.md");
    static final Path SOURCES = Path.of("src", "main", "java", "io", "ergon", "examples", "readme");
    /** Where a file not among {@link #SOURCES} is looked for: the README's tests, which are tests here too. */
    static final Path TEST_SOURCES = Path.of("src", "test", "java", "io", "ergon", "examples", "readme");
    static final String MARKER = "<!-- snippet: ";

    record Block(int line, String marker, String code) {
    }

    @Test
    void everyJavaBlockOfTheReadmeIsTheCodeItsMarkerNames() throws IOException {
        List<Block> blocks = javaBlocks(Files.readAllLines(README));
        assertThat(blocks).as("java blocks in the README").hasSizeGreaterThanOrEqualTo(10);
        for (Block b : blocks) {
            assertThat(b.marker()).as("README line %d: a java block without a '%s...' marker above it", b.line(),
                    MARKER).isNotNull();
            String expected = expand(b.marker());
            assertThat(b.code()).as("README line %d (%s) differs from the source: run scripts/sync-readme-snippets.py",
                    b.line(), b.marker()).isEqualTo(expected);
        }
    }

    @Test
    void aRegionIsFoundAndDedented() throws IOException {
        assertThat(expand("Tour.java#context-method")).startsWith("static Pid startWatched(")
                .contains("\n    Pid pid = process.spawnLink(worker);\n").endsWith("}");
        assertThat(expand("HelloErgon.java")).startsWith("import io.ergon.node.Actor;")
                .doesNotContain("package ");
    }

    static List<Block> javaBlocks(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```java")) {
                continue;
            }
            String above = i > 0 ? lines.get(i - 1) : "";
            String marker = above.startsWith(MARKER) && above.endsWith(" -->")
                    ? above.substring(MARKER.length(), above.length() - 4).trim() : null;
            int start = i + 1;
            int end = start;
            while (end < lines.size() && !lines.get(end).equals("```")) {
                end++;
            }
            blocks.add(new Block(i + 1, marker, String.join("\n", lines.subList(start, end))));
            i = end;
        }
        return blocks;
    }

    /** The code a marker names. */
    static String expand(String marker) throws IOException {
        List<String> out = new ArrayList<>();
        for (String spec : marker.split("\\s+")) {
            if (!out.isEmpty()) {
                out.add("");
            }
            out.addAll(region(spec));
        }
        return String.join("\n", out);
    }

    static List<String> region(String spec) throws IOException {
        int hash = spec.indexOf('#');
        String file = hash < 0 ? spec : spec.substring(0, hash);
        Path source = Files.exists(SOURCES.resolve(file)) ? SOURCES.resolve(file) : TEST_SOURCES.resolve(file);
        List<String> lines = Files.readAllLines(source);
        if (hash < 0) {
            int i = 0;
            while (!lines.get(i).startsWith("package ")) {
                i++;
            }
            return trim(lines.subList(i + 1, lines.size()));
        }
        String name = spec.substring(hash + 1);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("// [snippet " + name + "]")) {
                assertThat(start).as("region %s appears twice in %s", name, file).isEqualTo(-1);
                start = i + 1;
            }
        }
        assertThat(start).as("region %s in %s", name, file).isPositive();
        int end = start;
        while (!lines.get(end).strip().equals("// [end]")) {
            end++;
        }
        return dedent(lines.subList(start, end));
    }

    private static List<String> trim(List<String> lines) {
        int from = 0;
        int to = lines.size();
        while (from < to && lines.get(from).isBlank()) {
            from++;
        }
        while (to > from && lines.get(to - 1).isBlank()) {
            to--;
        }
        return lines.subList(from, to);
    }

    private static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
    }
}
