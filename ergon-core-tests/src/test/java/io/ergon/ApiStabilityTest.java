package io.ergon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "API stability" promises, checked over ergon-core's sources: every package says what it holds in a
 * package-info.java, every {@code .internal} package (a package inside one too, and the node's {@code .spi} seam
 * to distribution) is {@code @InternalApi} and is not exported, and every other package is.
 */
class ApiStabilityTest {
    private static final Path SOURCES = Path.of("../ergon-core/src/main/java");

    @Test
    void everyPackageHasAPackageInfoWithADescription() {
        assertThat(packages()).as("packages found").hasSizeGreaterThanOrEqualTo(12);
        for (Path dir : packages()) {
            Path info = dir.resolve("package-info.java");
            assertThat(info).as("package-info of " + name(dir)).exists();
            assertThat(read(info)).as(info.toString()).contains("/**").contains("package " + name(dir) + ";");
        }
    }

    @Test
    void internalPackagesAreMarkedAndNotExported() {
        String moduleInfo = read(SOURCES.resolve("module-info.java"));
        Set<String> exported = Stream.of(moduleInfo.split("\n")).map(String::strip)
                .filter(l -> l.startsWith("exports ")).map(l -> l.substring(8, l.indexOf(';')))
                .collect(Collectors.toCollection(TreeSet::new));
        for (Path dir : packages()) {
            String name = name(dir);
            // a package inside an .internal one is internal too; the node's seam to distribution (.spi) as well
            if (name.endsWith(".internal") || name.contains(".internal.") || name.endsWith(".spi")) {
                assertThat(read(dir.resolve("package-info.java"))).as(name).contains("@InternalApi");
                assertThat(exported).as("exports").doesNotContain(name);
            } else {
                assertThat(exported).as("exports").contains(name);
            }
        }
    }

    /** The directories under src/main/java that hold Java sources. */
    private static Set<Path> packages() {
        try (Stream<Path> s = Files.walk(SOURCES)) {
            return s.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java"))
                    .map(Path::getParent).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String name(Path dir) {
        return SOURCES.relativize(dir).toString().replace('\\', '/').replace('/', '.');
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
